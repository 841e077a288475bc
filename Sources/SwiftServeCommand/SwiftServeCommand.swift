import ArgumentParser
import Logging
import SwiftServe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `swiftserve [options] PATH:CALLABLE`: loads an SSGI application from a shared library and
/// serves it over HTTP/1.1.
@main
struct SwiftServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftserve",
        abstract: "Serve an SSGI application from a shared library over HTTP/1.1.",
        discussion: """
            The application is a shared library that exports an SSGI entry point, named as
            PATH:CALLABLE the way WSGI servers take module:callable. CALLABLE defaults to 'app'.

            Examples:
              swiftserve .build/release/libbarebones.so:app
              swiftserve --bind 0.0.0.0:8000 --workers 4 ./libflaskish.so
              swiftserve --bind unix:/run/app.sock --access-log - --pid /run/app.pid ./libapp.so:app
              swiftserve --reload --debug-http .build/debug/libenviron.so
              swiftserve --workers 0 --validate .build/debug/libflaskish.so

            Processes: a master process binds the sockets and keeps --workers worker processes
            running, each of which loads the application and serves it. A worker that dies (a
            trap in the application, a kill) is logged and replaced. --workers 0 serves in one
            process, without a master.

            Signals, sent to the master: SIGINT and SIGTERM stop gracefully (requests in flight
            finish within --graceful-timeout); SIGQUIT stops at once; SIGHUP reloads (new
            workers load the library afresh, then the old ones finish their requests and stop);
            SIGTTIN and SIGTTOU add and remove a worker; SIGUSR1 reopens the access log.

            Started by systemd socket activation (LISTEN_FDS), the server listens on the sockets
            it is given instead of --bind.
            """,
        version: SwiftServeVersion.current
    )

    @Argument(help: "The application, as PATH.so:CALLABLE (CALLABLE defaults to 'app').")
    var application: String?

    @Option(
        name: .shortAndLong,
        help: "Listen on HOST:PORT, [IPV6]:PORT or unix:PATH; repeat to listen on several. (default: 127.0.0.1:8888)")
    var bind: [String] = []

    @Option(help: "Event-loop (I/O) threads, in each worker. (default: the cores, shared among the workers)")
    var threads: Int?

    // Numbers are read unconditionally, so that `--workers -1` reaches the check that explains it.
    @Option(
        parsing: .unconditional, help: "Worker processes; 0 serves in this one process, without a master. (default: 1)")
    var workers = 1

    @Option(
        parsing: .unconditional,
        help:
            "Seconds a worker may go without a heartbeat (a request blocking an event loop) before it is killed and replaced; 0 never. (default: 30)"
    )
    var timeout: Int?

    @Option(
        parsing: .unconditional, help: "Replace a worker after it has served this many requests; 0 never. (default: 0)")
    var maxRequests = 0

    @Option(
        parsing: .unconditional,
        help: "Add up to this many requests, chosen at random, to each worker's --max-requests.")
    var maxRequestsJitter = 0

    @Flag(help: "Reload as on SIGHUP when the application's library changes, also when it is replaced by a rename.")
    var reload = false

    @Option(name: .customLong("pid"), help: "Write the server's process id to FILE; it is removed at exit.")
    var pidFile: String?

    @Option(help: ArgumentHelp(visibility: .private))
    var workerSockets: Int?

    @Option(help: "Least severe log level shown: trace, debug, info, notice, warning, error or critical.")
    var logLevel: LogLevel = .info

    @Option(help: "Write an access log in Common Log Format to FILE, or '-' for standard output.")
    var accessLog: String?

    @Flag(help: "Print every request and response head, as 'curl -v' does ('>' request, '<' response).")
    var debugHTTP = false

    @Flag(help: "Check every request and response against the SSGI specification, as wsgiref.validate does.")
    var validate = false

    @Option(help: "Seconds a client may take to send a request head, including keep-alive waits.")
    var headerTimeout = 30

    @Option(help: "Seconds requests in flight may run after SIGTERM before their connections are closed.")
    var gracefulTimeout = 30

    func run() throws {
        let level = self.logLevel.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "swiftserve")
        if let socketCount = self.workerSockets {
            Self.runWorker(socketCount: socketCount, command: self, logger: logger)
        }
        var pidFile: PidFile?
        do {
            let configuration = try self.makeConfiguration()
            let arbiter = try self.makeArbiterConfiguration()
            let specifier = try ApplicationSpecifier(parsing: self.application ?? "")
            let activated = try SocketActivation.takeSockets()
            if activated != nil, !self.bind.isEmpty {
                throw UsageError(
                    message:
                        "--bind cannot be used under systemd socket activation (LISTEN_FDS): the .socket unit says where to listen"
                )
            }
            if let path = self.pidFile {
                pidFile = PidFile(path: path)
                try pidFile?.create()
            }
            if self.workers == 0 {
                let application = try ApplicationLoader.load(specifier)
                let sockets = try activated ?? Self.bind(configuration.binds)
                try Server(application: application, configuration: configuration, logger: logger).run(on: sockets)
            } else {
                let sockets = try activated ?? Self.bind(configuration.binds)
                try Arbiter(
                    specifier: specifier, sockets: sockets, configuration: arbiter,
                    workerArguments: Array(CommandLine.arguments.dropFirst()), logger: logger
                ).run()
            }
            pidFile?.remove()
        } catch {
            pidFile?.remove()
            switch error {
            case let error as LoadError: Self.fail(error.description, exitCode: error.exitCode)
            case let error as UsageError: Self.fail(error.message, exitCode: 2)
            case let error as ArbiterError: Self.fail(error.message, exitCode: error.exitCode)
            default: Self.fail("\(error)", exitCode: 1)
            }
        }
    }

    /// Runs this process as a worker of a master, which started it with `--worker-sockets`.
    private static func runWorker(socketCount: Int, command: SwiftServeCommand, logger: Logger) -> Never {
        do {
            let status = Worker.run(
                socketCount: socketCount, specifier: try ApplicationSpecifier(parsing: command.application ?? ""),
                configuration: try command.makeConfiguration(), arbiter: try command.makeArbiterConfiguration(),
                logger: logger)
            Glibc.exit(status)
        } catch {
            Self.fail("\(error)", exitCode: 2)
        }
    }

    private static func bind(_ targets: [BindTarget]) throws -> [ListenSocket] {
        var sockets: [ListenSocket] = []
        do {
            for target in targets {
                sockets.append(try ListenSocket.bind(target))
            }
        } catch {
            sockets.forEach { $0.close() }
            throw error
        }
        return sockets
    }

    private func makeConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if !self.bind.isEmpty {
            configuration.binds = try self.bind.map { value in
                guard let target = BindTarget(parsing: value) else {
                    throw UsageError(message: "malformed --bind '\(value)': use HOST:PORT, [IPV6]:PORT or unix:PATH")
                }
                return target
            }
        }
        guard self.workers >= 0 else {
            throw UsageError(
                message: "--workers must be 0 (one process, without a master) or more, not \(self.workers)")
        }
        if let threads = self.threads {
            guard threads >= 1 else { throw UsageError(message: "--threads must be at least 1, not \(threads)") }
            configuration.threads = threads
        } else if self.workers > 0 {
            configuration.threads = max(1, configuration.threads / self.workers)
        }
        guard self.headerTimeout >= 1, self.gracefulTimeout >= 0 else {
            throw UsageError(message: "--header-timeout must be at least 1 second and --graceful-timeout not negative")
        }
        configuration.headerTimeout = .seconds(Int64(self.headerTimeout))
        configuration.gracefulTimeout = .seconds(Int64(self.gracefulTimeout))
        configuration.accessLog = self.accessLog
        configuration.debugHTTP = self.debugHTTP
        configuration.validate = self.validate
        return configuration
    }

    private func makeArbiterConfiguration() throws -> ArbiterConfiguration {
        var configuration = ArbiterConfiguration()
        for (name, value) in [
            ("--timeout", self.timeout ?? 0), ("--max-requests", self.maxRequests),
            ("--max-requests-jitter", self.maxRequestsJitter),
        ] where value < 0 {
            throw UsageError(message: "\(name) must be 0 (never) or more, not \(value)")
        }
        if self.maxRequestsJitter > 0, self.maxRequests == 0 {
            throw UsageError(message: "--max-requests-jitter needs --max-requests: it adds to each worker's limit")
        }
        if self.workers == 0 {
            let needsWorkers = [
                ("--reload", self.reload), ("--timeout", self.timeout != nil), ("--max-requests", self.maxRequests > 0),
            ]
            if let (name, _) = needsWorkers.first(where: \.1) {
                throw UsageError(
                    message: "\(name) needs workers, which --workers 0 does without: use --workers 1 or more")
            }
        }
        configuration.workers = self.workers
        configuration.timeout = self.timeout.map { $0 == 0 ? nil : .seconds(Int64($0)) } ?? .seconds(30)
        configuration.maxRequests = self.maxRequests == 0 ? nil : self.maxRequests
        configuration.maxRequestsJitter = self.maxRequestsJitter
        configuration.reload = self.reload
        configuration.gracefulTimeout = .seconds(Int64(self.gracefulTimeout))
        return configuration
    }

    /// Prints one line on standard error and exits: no usage dump, no stack trace.
    private static func fail(_ message: String, exitCode: Int32) -> Never {
        var line = "swiftserve: error: \(message)\n"
        line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        Glibc.exit(exitCode)
    }
}

/// A command-line value that parses but cannot be used.
struct UsageError: Error {
    var message: String
}

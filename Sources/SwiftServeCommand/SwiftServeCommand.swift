import ArgumentParser
import Glibc
import Logging
import SwiftServe

/// `swiftserve [options] PATH:CALLABLE [-- ARGUMENTS...]`: loads an SSGI application from a shared
/// library and serves it over HTTP/1.1; the words after `--` are the application's own arguments.
@main
struct SwiftServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftserve",
        abstract: "Serve an SSGI application from a shared library over HTTP/1.1.",
        // Each paragraph is one line: the help wraps it to the terminal's width, once.
        discussion: """
            The application is a shared library that exports an SSGI entry point, named as \
            PATH:CALLABLE the way WSGI servers take module:callable; CALLABLE defaults to 'app'. It \
            may be written in Swift with the SSGI module, or in C, Rust or any language that can \
            export a C function. Everything after -- is handed to the application's startup as its \
            arguments.

            Examples:
              swiftserve .build/release/libbarebones.so:app
              swiftserve --bind 0.0.0.0:8000 --workers 4 ./libflaskish.so
              swiftserve --bind unix:/run/app.sock --pid /run/app.pid ./libapp.so
              swiftserve --access-log - --debug-http .build/debug/libenviron.so
              swiftserve --reload .build/debug/libenviron.so
              swiftserve --workers 0 --validate .build/debug/libflaskish.so
              swiftserve .build/release/libenviron.so -- PATH_INFO HTTP_HOST

            Processes: a master process binds the sockets and keeps --workers worker processes \
            running, each of which loads the application and serves it. A worker that dies (a trap \
            in the application, a kill) is logged and replaced. --workers 0 serves in one process, \
            without a master.

            Signals, sent to the master: SIGINT and SIGTERM stop gracefully (requests in flight \
            finish within --graceful-timeout); SIGQUIT stops at once; SIGHUP reloads (new workers \
            load the library afresh, then the old ones finish their requests and stop); SIGTTIN \
            and SIGTTOU add and remove a worker; SIGUSR1 reopens the access log.

            Started by systemd socket activation (LISTEN_FDS), the server listens on the sockets \
            it is given instead of --bind.

            Exit status: 0 once stopped by a signal; 2 for a command line that cannot be used; 4 \
            when the application cannot be loaded or started; 1 for any other failure, such as an \
            address already in use.
            """,
        version: SwiftServeVersion.current
    )

    @Argument(help: "The application, as PATH:CALLABLE (CALLABLE defaults to 'app').")
    var application: String?

    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp(
            "Arguments for the application, after --: handed to its startup (SSGI 1.1).", valueName: "argument"))
    var applicationArguments: [String] = []

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            """
            Listen on HOST:PORT, [IPV6]:PORT or unix:PATH; repeat to listen on several. Prefix with proxy: \
            to expect a PROXY protocol header on every connection. (default: 127.0.0.1:8888)
            """, valueName: "address"))
    var bind: [String] = []

    @Option(
        help: ArgumentHelp(
            """
            Peers whose forwarding headers (--forwarded-headers) and PROXY headers are believed: addresses and \
            CIDR networks, comma-separated, or '*'. Unix-socket peers are always trusted.
            """, valueName: "addresses"))
    var forwardedAllowIps = "127.0.0.1,::1"

    @Option(
        help: ArgumentHelp(
            """
            The forwarding headers believed from those peers: some of forwarded, x-forwarded-for, x-forwarded-proto, \
            x-forwarded-host, or none. Add one only when the proxy overwrites or clears it.
            """, valueName: "names"))
    var forwardedHeaders = ForwardedFields.default.description

    @Option(
        help: ArgumentHelp(
            "Event-loop (I/O) threads in each worker. (default: the cores, shared among the workers)",
            valueName: "count"))
    var threads: Int?

    // Numbers are read unconditionally, so that `--workers -1` reaches the check that explains it.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Worker processes; 0 serves in this one process, without a master.", valueName: "count"))
    var workers = 1

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Seconds a worker may go without a heartbeat (a request blocking an event loop) before it is killed and replaced; 0 never. (default: 30)",
            valueName: "seconds"))
    var timeout: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Replace a worker after it has served this many requests; 0 never.", valueName: "count"))
    var maxRequests = 0

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Add up to this many requests, chosen at random, to each worker's --max-requests.", valueName: "count"))
    var maxRequestsJitter = 0

    @Flag(help: "Reload as on SIGHUP when the application's library changes, also when it is replaced by a rename.")
    var reload = false

    @Option(
        name: .customLong("pid"),
        help: ArgumentHelp("Write the server's process id to this file; it is removed at exit.", valueName: "file"))
    var pidFile: String?

    @Option(help: ArgumentHelp(visibility: .private))
    var workerSockets: Int?

    @Option(help: ArgumentHelp(visibility: .private))
    var removeAtExit: [String] = []

    @Option(help: ArgumentHelp("Least severe log level shown.", valueName: "level"))
    var logLevel: LogLevel = .info

    @Option(help: ArgumentHelp("Switch to this user once the sockets are bound.", valueName: "name|uid"))
    var user: String?

    @Option(
        help: ArgumentHelp(
            "Switch to this group once the sockets are bound. (default: the user's group)", valueName: "name|gid"))
    var group: String?

    @Option(
        help: ArgumentHelp(
            "File-mode mask for unix sockets, in octal, such as 007 to let only the owner and group connect.",
            valueName: "mask"))
    var umask: String?

    @Option(help: ArgumentHelp("Write an access log to this file, or '-' for standard output.", valueName: "file"))
    var accessLog: String?

    @Flag(help: "Keep a valid X-Request-Id or make one; the application, the logs and the response carry it.")
    var requestId = false

    @Option(help: ArgumentHelp("How the access log writes a line: common, combined or json.", valueName: "format"))
    var accessLogFormat = "common"

    @Option(
        help: ArgumentHelp(
            "Serve /metrics (Prometheus) and /healthz on HOST:PORT, apart from the application.",
            valueName: "HOST:PORT"))
    var metricsBind: String?

    @Flag(help: "Print every request and response head, as 'curl -v' does ('>' request, '<' response).")
    var debugHTTP = false

    @Flag(help: "Check every request and response against the SSGI specification, as wsgiref.validate does.")
    var validate = false

    @Option(
        help: ArgumentHelp(
            "Seconds a client may take to send a request head, from accept or from its first byte.",
            valueName: "seconds"))
    var headerTimeout = 30

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Seconds a kept-alive connection may wait idle for its next request.", valueName: "seconds"))
    var keepAliveTimeout = 5

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Bytes per second a request body must average while the server waits for it; 0 turns it off.",
            valueName: "bytes"))
    var minBodyRate = 1024

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Seconds a response may stay blocked on a client that does not read before the connection is closed.",
            valueName: "seconds"))
    var sendTimeout = 60

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Most open connections per worker; at the cap new clients wait in the listen backlog.", valueName: "count"))
    var workerConnections = 1000

    @Option(
        help: ArgumentHelp(
            "Seconds requests in flight may run after a graceful stop or reload before their connections are closed.",
            valueName: "seconds"))
    var gracefulTimeout = 30

    @Option(
        help: ArgumentHelp(
            "PEM certificate (then its chain): every TCP bind serves HTTPS, TLS 1.2 or 1.3. Needs --keyfile.",
            valueName: "file"))
    var certfile: String?

    @Option(help: ArgumentHelp("PEM private key of --certfile's certificate.", valueName: "file"))
    var keyfile: String?

    @Option(
        help: ArgumentHelp("PEM file of the authorities client certificates are verified against.", valueName: "file"))
    var caCerts: String?

    @Option(
        help: ArgumentHelp(
            "Client certificates: none, optional (verified when given) or required. Needs --ca-certs.",
            valueName: "requirement"))
    var certReqs = "none"

    @Option(
        help: ArgumentHelp(
            "HTTP versions served: auto (HTTP/2 by ALPN on TLS, or h2c prior knowledge; else HTTP/1.1), 1 or 2.",
            valueName: "version"))
    var http = "auto"

    @Option(help: ArgumentHelp("Most streams one HTTP/2 connection may have open at once.", valueName: "count"))
    var http2MaxStreams = 100

    /// Parses the command line and runs. A command line the parser cannot read is refused like
    /// any other that cannot be used: one line on standard error, exit status 2 (as argparse, and
    /// so Gunicorn, does); `--help` and `--version` print and exit 0.
    static func main() {
        let command: ParsableCommand
        do {
            command = try Self.parseAsRoot()
        } catch {
            guard Self.exitCode(for: error) != .success else { Self.exit(withError: error) }
            let message = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Self.fail("\(message) (see swiftserve --help)", exitCode: 2)
        }
        do {
            var command = command
            try command.run()
        } catch {
            Self.exit(withError: error)
        }
    }

    func run() throws {
        let level = self.logLevel.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "swiftserve")
        if let socketCount = self.workerSockets {
            do {
                Launcher.runWorker(socketCount: socketCount, try self.launchOptions(), logger: logger)
            } catch {
                Self.fail("\(error)", exitCode: 2)
            }
        }
        if !self.removeAtExit.isEmpty {
            Glibc.exit(CleanupProcess.run(files: self.removeAtExit))
        }
        do {
            try Launcher.run(try self.launchOptions(), logger: logger)
        } catch {
            switch error {
            case let error as LoadError: Self.fail(error.description, exitCode: error.exitCode)
            case let error as UsageError: Self.fail(error.message, exitCode: 2)
            case let error as LaunchError: Self.fail(error.description, exitCode: 2)
            case let error as ArbiterError: Self.fail(error.message, exitCode: error.exitCode)
            case let error as TLSSetupError: Self.fail(error.description, exitCode: 2)
            default: Self.fail("\(error)", exitCode: 1)
            }
        }
    }

    /// Prints one line on standard error and exits: no usage dump, no stack trace.
    private static func fail(_ message: String, exitCode: Int32) -> Never {
        var line = "swiftserve: error: \(message)\n"
        line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        Glibc.exit(exitCode)
    }
}

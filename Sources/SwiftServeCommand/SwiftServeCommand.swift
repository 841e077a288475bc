import ArgumentParser
import Glibc
import Logging
import SwiftServe

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
        help: """
            Listen on HOST:PORT, [IPV6]:PORT or unix:PATH; repeat to listen on several. Prefix with proxy: \
            to expect a PROXY protocol header on every connection. (default: 127.0.0.1:8888)
            """)
    var bind: [String] = []

    @Option(
        help: """
            Peers whose Forwarded and X-Forwarded-* headers (and PROXY headers) are believed: addresses and \
            CIDR networks, comma-separated, or '*'. Unix-socket peers are always trusted.
            """)
    var forwardedAllowIps = "127.0.0.1,::1"

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

    @Option(help: "Switch to this user (a name or a uid) once the sockets are bound.")
    var user: String?

    @Option(help: "Switch to this group (a name or a gid) once the sockets are bound. (default: the user's group)")
    var group: String?

    @Option(help: "File-mode mask for unix sockets, in octal, such as 007 to let only the owner and group connect.")
    var umask: String?

    @Option(help: "Write an access log in Common Log Format to FILE, or '-' for standard output.")
    var accessLog: String?

    @Flag(help: "Print every request and response head, as 'curl -v' does ('>' request, '<' response).")
    var debugHTTP = false

    @Flag(help: "Check every request and response against the SSGI specification, as wsgiref.validate does.")
    var validate = false

    @Option(help: "Seconds a client may take to send a request head, from accept or from its first byte.")
    var headerTimeout = 30

    @Option(parsing: .unconditional, help: "Seconds a kept-alive connection may wait idle for its next request.")
    var keepAliveTimeout = 5

    @Option(
        parsing: .unconditional,
        help: "Bytes per second a request body must average while the server waits for it; 0 turns it off.")
    var minBodyRate = 1024

    @Option(
        parsing: .unconditional,
        help: "Seconds a response may stay blocked on a client that does not read before the connection is closed.")
    var sendTimeout = 60

    @Option(
        parsing: .unconditional,
        help: "Most open connections per worker; at the cap new clients wait in the listen backlog.")
    var workerConnections = 1000

    @Option(help: "Seconds requests in flight may run after SIGTERM before their connections are closed.")
    var gracefulTimeout = 30

    @Option(help: "PEM certificate (then its chain): every TCP bind serves HTTPS, TLS 1.2 or 1.3. Needs --keyfile.")
    var certfile: String?

    @Option(help: "PEM private key of --certfile's certificate.")
    var keyfile: String?

    @Option(help: "PEM file of the authorities client certificates are verified against.")
    var caCerts: String?

    @Option(help: "Client certificates: none, optional (verified when given) or required. Needs --ca-certs.")
    var certReqs = "none"

    @Option(help: "HTTP versions served: auto (HTTP/2 by ALPN on TLS, or h2c prior knowledge; else HTTP/1.1), 1 or 2.")
    var http = "auto"

    @Option(help: "Most streams one HTTP/2 connection may have open at once.")
    var http2MaxStreams = 100

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

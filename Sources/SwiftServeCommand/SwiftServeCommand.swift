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
              swiftserve --bind 0.0.0.0:8000 --threads 4 ./libflaskish.so
              swiftserve --bind unix:/run/app.sock --access-log - ./libapp.so:app
              swiftserve --debug-http .build/debug/libenviron.so
              swiftserve --validate .build/debug/libflaskish.so

            Signals: SIGINT and SIGTERM stop gracefully (requests in flight finish within
            --graceful-timeout); SIGQUIT stops at once.
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

    @Option(help: "Event-loop (I/O) threads. (default: one per core)")
    var threads: Int?

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

    @Option(help: "Seconds a kept-alive connection may wait idle for its next request.")
    var keepAliveTimeout = 5

    @Option(help: "Bytes per second a request body must average while the server waits for it; 0 turns it off.")
    var minBodyRate = 1024

    @Option(help: "Seconds a response may stay blocked on a client that does not read before the connection is closed.")
    var sendTimeout = 60

    @Option(help: "Most open connections per worker; at the cap new clients wait in the listen backlog.")
    var workerConnections = 1000

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
        do {
            let configuration = try self.makeConfiguration()
            let specifier = try ApplicationSpecifier(parsing: self.application ?? "")
            let application = try ApplicationLoader.load(specifier)
            try Server(application: application, configuration: configuration, logger: logger).run()
        } catch let error as LoadError {
            Self.fail(error.description, exitCode: error.exitCode)
        } catch let error as UsageError {
            Self.fail(error.message, exitCode: 2)
        } catch {
            Self.fail("\(error)", exitCode: 1)
        }
    }

    private func makeConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if !self.bind.isEmpty {
            configuration.binds = []
            for value in self.bind {
                let proxyProtocol = value.hasPrefix("proxy:")
                guard let target = BindTarget(parsing: proxyProtocol ? String(value.dropFirst(6)) : value) else {
                    throw UsageError(
                        message:
                            "malformed --bind '\(value)': use HOST:PORT, [IPV6]:PORT or unix:PATH, optionally after proxy:"
                    )
                }
                if proxyProtocol {
                    configuration.proxyProtocolBinds.append(target)
                } else {
                    configuration.binds.append(target)
                }
            }
        }
        do {
            configuration.forwardedAllowIPs = try TrustedProxies(parsing: self.forwardedAllowIps)
        } catch {
            throw UsageError(message: "malformed --forwarded-allow-ips: \(error)")
        }
        if let threads = self.threads {
            guard threads >= 1 else { throw UsageError(message: "--threads must be at least 1, not \(threads)") }
            configuration.threads = threads
        }
        guard self.headerTimeout >= 1, self.gracefulTimeout >= 0 else {
            throw UsageError(message: "--header-timeout must be at least 1 second and --graceful-timeout not negative")
        }
        guard self.keepAliveTimeout >= 1, self.sendTimeout >= 1 else {
            throw UsageError(message: "--keep-alive-timeout and --send-timeout must be at least 1 second")
        }
        guard self.minBodyRate >= 0 else {
            throw UsageError(message: "--min-body-rate must not be negative, not \(self.minBodyRate)")
        }
        guard self.workerConnections >= 1 else {
            throw UsageError(message: "--worker-connections must be at least 1, not \(self.workerConnections)")
        }
        configuration.headerTimeout = .seconds(Int64(self.headerTimeout))
        configuration.keepAliveTimeout = .seconds(Int64(self.keepAliveTimeout))
        configuration.sendTimeout = .seconds(Int64(self.sendTimeout))
        configuration.minBodyRate = self.minBodyRate
        configuration.workerConnections = self.workerConnections
        configuration.gracefulTimeout = .seconds(Int64(self.gracefulTimeout))
        if self.user != nil || self.group != nil {
            do {
                configuration.privileges = try Privileges(user: self.user, group: self.group)
            } catch {
                throw UsageError(message: error.description)
            }
        }
        if let umask = self.umask {
            let digits = umask.hasPrefix("0o") ? umask.dropFirst(2) : umask[...]
            guard !digits.isEmpty, digits.count <= 4, let mask = mode_t(digits, radix: 8), mask <= 0o777 else {
                throw UsageError(message: "malformed --umask '\(umask)': give an octal mask such as 007 or 0o077")
            }
            configuration.unixSocketUmask = mask
        }
        configuration.accessLog = self.accessLog
        configuration.debugHTTP = self.debugHTTP
        configuration.validate = self.validate
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

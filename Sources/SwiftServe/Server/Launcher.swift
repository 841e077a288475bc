import Glibc
import Logging

/// Starts swiftserve the way the command line asks: in a worker process, the worker's part;
/// otherwise the listening sockets (bound once, here, or taken from systemd), the pid file,
/// the switch of user and group, then one process that serves (`--workers 0`) or a master that
/// keeps its workers (`Arbiter`).
///
/// The command only declares and checks its options; everything that happens once they are
/// known is here, so that it reads in one place and runs in tests without a shell.
public enum Launcher {
    /// What to start, as the command line said it.
    public struct Options: Sendable {
        public var specifier: ApplicationSpecifier
        public var configuration: ServerConfiguration
        public var arbiter: ArbiterConfiguration
        /// `--pid`: where to write the process id, removed at exit.
        public var pidFile: String?
        /// Whether `--bind` was given, which socket activation forbids.
        public var bindGiven: Bool

        public init(
            specifier: ApplicationSpecifier, configuration: ServerConfiguration, arbiter: ArbiterConfiguration,
            pidFile: String?, bindGiven: Bool
        ) {
            self.specifier = specifier
            self.configuration = configuration
            self.arbiter = arbiter
            self.pidFile = pidFile
            self.bindGiven = bindGiven
        }
    }

    /// Serves until a signal stops the server; throws what keeps it from starting.
    public static func run(_ options: Options, logger: Logger) throws {
        var pidFile: PidFile?
        defer { pidFile?.remove() }
        let activated = try SocketActivation.takeSockets()
        if activated != nil, options.bindGiven { throw LaunchError.bindUnderSocketActivation }
        if let path = options.pidFile {
            pidFile = PidFile(path: path)
            try pidFile?.create()
        }
        let configuration = options.configuration
        let sockets = try (activated ?? ListenSocket.bindAll(configuration)).map {
            $0.servingTLS(configuration.tls != nil)
        }
        if let privileges = configuration.privileges {
            // The socket files go to the user and group, so that a proxy in the group can connect.
            for path in sockets.compactMap(\.createdPath) {
                try privileges.giveOwnership(of: path)
            }
        }
        // Opened here, with the privileges, so that the workers (or this process, once it has
        // switched) can open it whatever the rights on its folder.
        if let accessLog = configuration.accessLog {
            try AccessLog.prepare(accessLog, for: configuration.privileges)
        }
        if options.arbiter.workers == 0 {
            // Switch before loading: no code of the application runs with the privileges.
            if let privileges = configuration.privileges {
                // Removing the pid file and socket files at exit takes the privileges this
                // process is about to give up: a process that keeps them does it.
                do {
                    try CleanupProcess.start(pidFile: pidFile, sockets: sockets)
                } catch {
                    logger.warning("cannot start the process that removes the pid file and sockets at exit: \(error)")
                }
                try privileges.drop()
                logger.notice("serving as \(privileges)")
            }
            let application = try ApplicationLoader.load(options.specifier)
            try Server(application: application, configuration: configuration, logger: logger).run(on: sockets)
        } else {
            if let privileges = configuration.privileges {
                logger.notice("workers serve as \(privileges)")
            }
            var arbiter = options.arbiter
            arbiter.accessLog = configuration.accessLog
            arbiter.privileges = configuration.privileges
            // The master serves the metrics, summed over its workers, on a thread of its own.
            var endpoint: MetricsEndpoint?
            if let target = configuration.metricsBind {
                endpoint = try MetricsEndpoint(
                    on: target, metrics: ServerMetrics(rowsPerWorker: max(1, configuration.threads)), logger: logger)
            }
            defer { endpoint?.stop() }
            try Arbiter(
                specifier: options.specifier, sockets: sockets, configuration: arbiter,
                workerArguments: Array(CommandLine.arguments.dropFirst()), metrics: endpoint?.metrics, logger: logger
            ).run()
        }
    }

    /// Runs this process as a worker of a master that started it with `--worker-sockets
    /// socketCount`, and exits with the worker's status.
    public static func runWorker(socketCount: Int, _ options: Options, logger: Logger) -> Never {
        exit(
            Worker.run(
                socketCount: socketCount, specifier: options.specifier, configuration: options.configuration,
                arbiter: options.arbiter, logger: logger))
    }
}

/// Why the server did not start, beyond the errors of the parts it starts.
public enum LaunchError: Error, CustomStringConvertible {
    case bindUnderSocketActivation

    public var description: String {
        switch self {
        case .bindUnderSocketActivation:
            "--bind cannot be used under systemd socket activation (LISTEN_FDS): the .socket unit says where to listen"
        }
    }
}

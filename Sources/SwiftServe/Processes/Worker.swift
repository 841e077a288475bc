import Glibc
import Logging
import NIOPosix
import Synchronization

/// A worker process: this executable started by the master with `--worker-sockets N`. It loads
/// the application afresh, serves it on the N listening sockets it inherited as descriptors 3,
/// 4, ..., and reports to the master over the control pipe at descriptor 3 + N.
///
/// The worker tells the master when it is ready, beats while its event loops turn, asks to be
/// replaced after `--max-requests`, and stops when signalled (SIGTERM and SIGINT gracefully,
/// SIGQUIT at once) or when the master is gone.
public final class Worker: Sendable {
    /// The hidden option that makes this executable a worker; its value is the number of sockets.
    public static let socketsOption = "--worker-sockets"
    /// Where the sockets start, as with systemd socket activation.
    static let firstDescriptor = ChildProcess.firstDescriptor

    private let link: MasterLink
    private let heartbeat: Heartbeat
    private let requestLimit: Int?
    private let served = Atomic(0)
    private let logger: Logger

    private init(link: MasterLink, configuration: ArbiterConfiguration, logger: Logger) {
        self.link = link
        self.heartbeat = Heartbeat(link: link, interval: Heartbeat.interval(forTimeout: configuration.timeout))
        self.requestLimit = configuration.maxRequests.map { $0 + Int.random(in: 0...configuration.maxRequestsJitter) }
        self.logger = logger
    }

    /// Runs the worker to its end and returns its exit status: 0 when it was stopped, the
    /// loader's status (4) when the application cannot be loaded or started, which the master
    /// reads as a boot failure together with the message sent over the pipe.
    public static func run(
        socketCount: Int, specifier: ApplicationSpecifier, configuration: ServerConfiguration,
        arbiter: ArbiterConfiguration, logger: Logger
    ) -> CInt {
        var logger = logger
        logger[metadataKey: "worker"] = "\(getpid())"
        // A write to the pipe of a master that is gone must fail with EPIPE, not end the process.
        signal(SIGPIPE, SIG_IGN)
        // The master's own signals reach the workers too when sent to the process group (a
        // terminal hanging up), and SIGUSR1 may come before the server listens for it.
        for number in [SIGHUP, SIGTTIN, SIGTTOU, SIGUSR1] {
            signal(number, SIG_IGN)
        }
        let first = Self.firstDescriptor
        let link = MasterLink(descriptor: first + CInt(socketCount))
        let worker = Worker(link: link, configuration: arbiter, logger: logger)
        do {
            // The master passes the plain listeners first, then the `proxy:` ones.
            let proxied = socketCount - configuration.proxyProtocolBinds.count
            let sockets = try (0..<CInt(socketCount)).map { index throws(ListenSocketError) in
                let socket = try ListenSocket.inherited(descriptor: first + index, origin: "the master")
                return index >= proxied ? socket.expectingProxyProtocol() : socket
            }
            // Switch before loading: no code of the application runs with the master's privileges.
            try configuration.privileges?.drop()
            let application = try ApplicationLoader.load(specifier)
            try Server(application: application, configuration: configuration, logger: logger)
                .serve(on: sockets, worker: worker)
            return 0
        } catch let error as LoadError {
            worker.reportBootFailure(error.description)
            return error.exitCode
        } catch {
            worker.reportBootFailure("\(error)")
            return 1
        }
    }

    /// Tells the master why the application cannot be served; says it in the log when there is
    /// no master to tell (a worker started by hand).
    private func reportBootFailure(_ message: String) {
        if !self.link.send(.bootFailed(message)) {
            self.logger.error("\(message)")
        }
    }

    /// Whether the server must tell the worker of every request (`--max-requests`).
    var countsRequests: Bool { self.requestLimit != nil }

    /// The server is accepting on every socket: start the heartbeat and tell the master.
    func serverStarted(group: MultiThreadedEventLoopGroup, stop: StopSignal) {
        let logger = self.logger
        self.heartbeat.start(on: group) {
            logger.warning("the master process is gone: stopping")
            stop.stop(graceful: true)
        }
        self.link.send(.ready)
    }

    /// The server is stopping: no more heartbeats.
    func serverStopping() {
        self.heartbeat.cancel()
    }

    /// Counts a request; the one that reaches the limit asks the master for a replacement.
    func requestStarted() {
        guard let limit = self.requestLimit else { return }
        let count = self.served.add(1, ordering: .relaxed).newValue
        if count == limit {
            self.logger.info("served \(limit) requests (--max-requests): asking the master for a replacement")
            self.link.send(.retiring)
        }
    }
}

import CSSGI
import Dispatch
import Glibc
import Logging
import NIOCore
import NIOPosix
import SSGI

/// The swiftserve server: starts the application and serves it over HTTP/1.1 on listening
/// sockets until a signal stops it, in a process of its own (`--workers 0`) or in each worker.
public final class Server: Sendable {
    private let application: LoadedApplication
    private let configuration: ServerConfiguration
    private let logger: Logger

    public init(application: LoadedApplication, configuration: ServerConfiguration, logger: Logger) {
        self.application = configuration.validate ? application.validated() : application
        self.configuration = configuration
        self.logger = logger
    }

    /// The `ssgi.*` flags every request carries; a worker is one of several processes that may
    /// serve the application at once (during a reload, if not always).
    func requestFlags(asWorker: Bool) -> UInt32 {
        ServerContext.requestFlags(application: self.application, configuration: self.configuration, asWorker: asWorker)
    }

    /// Binds the configuration's sockets, then serves as `run(on:)` does.
    public func run() throws {
        try self.run(on: ListenSocket.bindAll(self.configuration))
    }

    /// Starts the application, serves it on `sockets` in this one process until SIGINT or SIGTERM
    /// (graceful) or SIGQUIT (immediate), then stops it. Throws when the application fails to start.
    public func run(on sockets: [ListenSocket]) throws {
        // Reloading and resizing need a master; without one these signals must not stop the process.
        let unsupported = SignalObserver([SIGHUP, SIGTTIN, SIGTTOU], label: "swiftserve.unsupported-signals") {
            [logger] number in
            logger.warning("\(SignalName.of(number)) ignored: it needs workers (run with --workers 1 or more)")
        }
        defer { unsupported.cancel() }
        try self.serve(on: sockets, worker: nil, metricsRegion: nil)
        sockets.forEach { $0.removeCreatedFile() }
    }

    /// How long a stopping server waits for the application to finish the requests it abandoned
    /// (their connections closed at the end of `--graceful-timeout`, or at once on SIGQUIT) before
    /// it runs the application's `shutdown` anyway. Shorter than `Arbiter.stopGrace`, the time the
    /// master gives a worker after its stop deadline.
    static let abandonedRequestWait: TimeAmount = .seconds(2)

    /// Serves on `sockets` until stopped; `worker`, when this process is one, hears when the
    /// server is ready and of every request, and `metricsRegion` is where it counts them for
    /// its master (`--metrics-bind`).
    func serve(on sockets: [ListenSocket], worker: Worker?, metricsRegion: MetricsRegion?) throws {
        ServerOperations.logWithoutCall = { [logger = self.logger] message in logger.error("\(message)") }
        let flags = self.requestFlags(asWorker: worker != nil)
        try self.application.startup(serverSoftware: self.configuration.serverSoftware, flags: flags)
        do {
            try self.serveStarted(on: sockets, worker: worker, metricsRegion: metricsRegion, flags: flags)
        } catch {
            self.application.shutdown()
            throw error
        }
        // After the last request finished or was abandoned (SPEC §4), and after every line the
        // requests logged.
        self.application.shutdown()
        self.logger.info("stopped")
    }

    /// Serves the started application until a stop, and returns once every connection is closed
    /// and the requests it abandoned are finished (or their wait ran out).
    private func serveStarted(
        on sockets: [ListenSocket], worker: Worker?, metricsRegion: MetricsRegion?, flags: UInt32
    ) throws {
        self.logger.info(
            "loaded application '\(self.application.name)' from \(self.application.specifier) (SSGI ABI \(self.application.abiVersion), \(self.application.sdkVersion), \(self.application.compiler), execution: \(self.application.execution))"
        )
        let arguments = self.application.specifier.arguments
        if !arguments.isEmpty, !self.application.receivesArguments {
            self.logger.warning(
                "'\(self.application.name)' is built for SSGI ABI \(self.application.abiVersion), before application arguments: it may not read the \(arguments.count) given after --"
            )
        }
        if self.application.isValidated {
            self.logger.notice(
                "validating every request and response against SSGI \(ApplicationLoader.abiMajor).\(ApplicationLoader.abiMinor) (--validate)"
            )
        }

        let accessLog = try self.configuration.accessLog.map {
            try AccessLog(destination: $0, format: self.configuration.accessLogFormat)
        }
        var requestStarted: (@Sendable () -> Void)?
        if let worker, worker.countsRequests { requestStarted = { worker.requestStarted() } }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, self.configuration.threads))
        defer { try? group.syncShutdownGracefully() }
        // Without a master, this process counts for itself and serves the metrics on its own loops.
        let metrics = try self.configuration.metricsBind.map { target in
            try LocalMetrics(on: target, region: metricsRegion, group: group, logger: self.logger)
        }
        defer { metrics?.stop() }
        if let region = metricsRegion ?? metrics?.region { region.publish(ApplicationInfo(self.application)) }
        let counters = (metricsRegion ?? metrics?.region).map {
            LoopCounters(region: $0, loops: Array(group.makeIterator()))
        }
        let context = ServerContext(
            application: self.application, configuration: self.configuration, requestFlags: flags,
            accessLog: accessLog, requestStarted: requestStarted, counters: counters, logger: self.logger)
        let registry = ConnectionRegistry()
        OpenFileLimit.raise(toServe: self.configuration.workerConnections, logger: self.logger)
        let stop = StopSignal(logger: self.logger)
        defer { stop.cancel() }
        let reopen = SignalObserver([SIGUSR1], label: "swiftserve.reopen") { [logger] _ in
            guard let accessLog else { return }
            do {
                try accessLog.reopen()
                logger.info("received SIGUSR1: reopened the access log")
            } catch {
                logger.error("received SIGUSR1: \(error)")
            }
        }
        defer { reopen.cancel() }

        // Read here, in every process that serves: a worker started by SIGHUP reads the files afresh.
        let tls = try self.configuration.tls.map { options throws(TLSSetupError) in
            try ServerTLS.makeContext(options, protocols: ServerTLS.protocols(for: self.configuration.httpVersions))
        }
        let pipeline = ConnectionPipeline(server: context, tls: tls)
        let plain = self.connectionBootstrap(group: group, pipeline: pipeline, proxyProtocol: false, registry: registry)
        let proxied = self.connectionBootstrap(
            group: group, pipeline: pipeline, proxyProtocol: true, registry: registry)
        let acceptor = SocketAcceptor(
            listeners: sockets.map { ($0, $0.expectsProxyProtocol ? proxied : plain) },
            limiter: ConnectionLimiter(maximum: self.configuration.workerConnections), logger: self.logger)
        acceptor.start()
        if worker == nil {
            for socket in sockets {
                self.logger.notice("listening on \(socket.servingTLS(tls != nil).summary)")
            }
        }
        worker?.serverStarted(group: group, stop: stop)
        metrics?.serving()
        stop.wait()
        metrics?.stopping()
        worker?.serverStopping()

        acceptor.stop()
        let closed = registry.closeAllWhenIdle(on: group.next())
        if stop.isGraceful {
            self.logger.info("stopping: waiting for requests in flight")
            let deadline = group.next().scheduleTask(in: self.configuration.gracefulTimeout) { [logger] in
                logger.warning("stopping: --graceful-timeout passed: abandoning the requests in flight")
                registry.closeAll()
            }
            stop.whenImmediate { registry.closeAll() }
            try? closed.wait()
            deadline.cancel()
        } else {
            registry.closeAll()
            try? closed.wait()
        }
        // The application learns that its abandoned requests lost their clients from its next
        // operation or callback, and still finishes them (SPEC §11).
        let left = context.heldRequests.waitUntilReleased(timeout: Self.abandonedRequestWait)
        if left > 0 {
            self.logger.warning(
                "the application did not finish \(left) abandoned request\(left == 1 ? "" : "s") within \(Self.abandonedRequestWait.nanoseconds / 1_000_000_000) s: shutting it down anyway"
            )
        }
    }

    /// How accepted connections become channels: the connection pipeline on an event loop of
    /// `group`, behind a PROXY protocol header for `proxy:` binds.
    private func connectionBootstrap(
        group: MultiThreadedEventLoopGroup, pipeline: ConnectionPipeline, proxyProtocol: Bool,
        registry: ConnectionRegistry
    ) -> ClientBootstrap {
        ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            // A client may close its sending side after its request and wait for the response.
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.writeBufferWaterMark, value: self.configuration.writeBufferWaterMark)
            .channelInitializer { channel in
                registry.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try pipeline.configure(channel, proxyProtocol: proxyProtocol)
                }
            }
    }
}

/// Why the server could not run.
public enum ServerError: Error, CustomStringConvertible {
    case cannotBind(BindTarget, reason: String)

    public var description: String {
        switch self {
        case .cannotBind(let target, let reason):
            "cannot listen on \(target): \(reason)"
        }
    }
}

import CSSGI
import Dispatch
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The swiftserve server: binds the sockets, starts the application and serves it over HTTP/1.1
/// until a signal stops it.
public final class Server: Sendable {
    private let application: LoadedApplication
    private let configuration: ServerConfiguration
    private let logger: Logger

    public init(application: LoadedApplication, configuration: ServerConfiguration, logger: Logger) {
        self.application = configuration.validate ? application.validated() : application
        self.configuration = configuration
        self.logger = logger
    }

    /// The `ssgi.*` flags every request carries.
    var requestFlags: UInt32 {
        ServerContext.requestFlags(application: self.application, configuration: self.configuration)
    }

    /// Starts the application, serves until SIGINT or SIGTERM (graceful) or SIGQUIT (immediate),
    /// then stops it. Throws when the application fails to start or a socket cannot be bound.
    public func run() throws {
        ServerOperations.applicationLogger.withLockedValue { $0 = self.logger }
        try self.application.startup(serverSoftware: self.configuration.serverSoftware, flags: self.requestFlags)
        defer { self.application.shutdown() }
        self.logger.info(
            "loaded application '\(self.application.name)' from \(self.application.specifier) (SSGI ABI \(self.application.abiVersion), \(self.application.sdkVersion), \(self.application.compiler))"
        )
        if self.application.isValidated {
            self.logger.notice("validating every request and response against SSGI 1.0 (--validate)")
        }

        let accessLog = try self.configuration.accessLog.map { try AccessLog(destination: $0) }
        let context = ServerContext(
            application: self.application, configuration: self.configuration, requestFlags: self.requestFlags,
            accessLog: accessLog, logger: self.logger)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, self.configuration.threads))
        defer { try? group.syncShutdownGracefully() }
        let registry = ConnectionRegistry()
        let limiter = ConnectionLimiter(maximum: self.configuration.workerConnections)
        OpenFileLimit.raise(toServe: self.configuration.workerConnections, logger: self.logger)

        let binds =
            self.configuration.binds.map { ($0, false) } + self.configuration.proxyProtocolBinds.map { ($0, true) }
        let listeners = try binds.map { target, proxyProtocol in
            try self.bind(
                target, proxyProtocol: proxyProtocol, group: group, context: context, registry: registry,
                limiter: limiter)
        }
        if let privileges = self.configuration.privileges {
            do {
                for case .unix(let path) in binds.map(\.0) {
                    try privileges.giveOwnership(of: path)
                }
                try privileges.drop()
            } catch {
                for listener in listeners { try? listener.close().wait() }
                throw ServerError.cannotDropPrivileges(reason: error.description)
            }
            self.logger.notice("serving as \(privileges)")
        }
        let stop = StopSignal(logger: self.logger)
        stop.wait()

        for listener in listeners {
            try? listener.close().wait()
        }
        if stop.isGraceful {
            self.logger.info("stopping: waiting for requests in flight")
            let drained = registry.closeAllWhenIdle(on: group.next())
            let deadline = group.next().scheduleTask(in: self.configuration.gracefulTimeout) {
                registry.closeAll()
            }
            try? drained.wait()
            deadline.cancel()
        } else {
            registry.closeAll()
        }
        self.logger.info("stopped")
    }

    private func bind(
        _ target: BindTarget, proxyProtocol: Bool, group: MultiThreadedEventLoopGroup, context: ServerContext,
        registry: ConnectionRegistry, limiter: ConnectionLimiter
    ) throws -> any Channel {
        let pipeline = ConnectionPipeline(server: context)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 2048)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Out of file descriptors, accept again after a second instead of spinning.
                    try channel.pipeline.syncOperations.addHandlers([AcceptBackoffHandler(), limiter.gate()])
                }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .childChannelOption(.writeBufferWaterMark, value: self.configuration.writeBufferWaterMark)
            .childChannelInitializer { channel in
                registry.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try pipeline.configure(channel, proxyProtocol: proxyProtocol)
                }
            }
        let channel: any Channel
        do {
            switch target {
            case .tcp(let host, let port):
                channel = try bootstrap.bind(host: host, port: port).wait()
            case .unix(let path):
                // The socket file's mode comes from the process's umask when it is created.
                let previous = self.configuration.unixSocketUmask.map { umask($0) }
                defer { previous.map { _ = umask($0) } }
                channel = try bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait()
            }
        } catch {
            throw ServerError.cannotBind(target, reason: "\(error)")
        }
        let address: String
        switch target {
        case .tcp: address = "http://\(channel.localAddress.map(Self.describe) ?? target.description)"
        case .unix: address = target.description
        }
        self.logger.notice("listening on \(address)\(proxyProtocol ? " (PROXY protocol)" : "")")
        return channel
    }

    private static func describe(_ address: SocketAddress) -> String {
        let ip = address.ipAddress ?? "?"
        let port = address.port ?? 0
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}

/// Why the server could not run.
public enum ServerError: Error, CustomStringConvertible {
    case cannotBind(BindTarget, reason: String)
    case cannotDropPrivileges(reason: String)

    public var description: String {
        switch self {
        case .cannotBind(let target, let reason):
            "cannot listen on \(target): \(reason): choose another --bind, or stop what holds it"
        case .cannotDropPrivileges(let reason):
            reason
        }
    }
}

import Logging
import NIOPosix

/// The master's operations endpoint: a `MetricsServer` on an event loop of its own, since the
/// master's thread waits in `poll` for its workers.
final class MetricsEndpoint {
    let metrics: ServerMetrics
    private let group: MultiThreadedEventLoopGroup
    private let server: MetricsServer

    init(on target: BindTarget, metrics: ServerMetrics, logger: Logger) throws(MetricsServerError) {
        self.metrics = metrics
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            self.server = try MetricsServer.start(on: target, metrics: metrics, group: self.group)
        } catch {
            try? self.group.syncShutdownGracefully()
            throw error
        }
        logger.notice("metrics on \(self.server.summary)/metrics, health on \(self.server.summary)/healthz")
    }

    func stop() {
        self.server.close()
        try? self.group.syncShutdownGracefully()
    }
}

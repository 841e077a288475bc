import Glibc
import Logging
import NIOPosix

/// The metrics of a server without workers (`--workers 0`): its own region, read by a
/// `MetricsServer` on one of its own event loops. In a worker, which counts for its master, there
/// is nothing to serve.
final class LocalMetrics: Sendable {
    /// Where this process counts; nil in a worker.
    let region: MetricsRegion?
    private let metrics: ServerMetrics?
    private let server: MetricsServer?

    /// Serves the metrics on `target`, unless `inherited` (a worker's region) says a master does.
    init(on target: BindTarget, region inherited: MetricsRegion?, group: MultiThreadedEventLoopGroup, logger: Logger)
        throws
    {
        guard inherited == nil else {
            (self.region, self.metrics, self.server) = (nil, nil, nil)
            return
        }
        let threads = Array(group.makeIterator()).count
        let region = try MetricsRegion.local(rows: threads)
        let metrics = ServerMetrics(rowsPerWorker: threads)
        metrics.processStarted(getpid(), region: region, isWorker: false)
        let server = try MetricsServer.start(on: target, metrics: metrics, group: group)
        logger.notice("metrics on \(server.summary)/metrics, health on \(server.summary)/healthz")
        (self.region, self.metrics, self.server) = (region, metrics, server)
    }

    func serving() { self.metrics?.health = .serving }

    /// A graceful stop began: `/healthz` answers 503 while the requests in flight finish.
    func stopping() { self.metrics?.health = .stopping }

    func stop() { self.server?.close() }
}

import NIOCore

/// What a connection counts, in the row of its event loop: the hook the connection handler calls,
/// one method per event, each a few additions to memory of that loop alone.
struct RequestCounters: Sendable {
    private let row: MetricsRow

    init(row: MetricsRow) {
        self.row = row
    }

    func connectionOpened() { self.row.add(MetricsLayout.connectionsOpened) }

    func connectionClosed() { self.row.add(MetricsLayout.connectionsClosed) }

    func received(_ count: Int) { self.row.add(MetricsLayout.bytesReceived, UInt64(count)) }

    func sent(_ count: Int) { self.row.add(MetricsLayout.bytesSent, UInt64(count)) }

    func requestStarted() { self.row.add(MetricsLayout.requestsStarted) }

    /// A request that started has ended, answered or not.
    func requestEnded() { self.row.add(MetricsLayout.requestsEnded) }

    /// A response of the application went out, and its request, counted since `start`, ended.
    func answered(method: Int, status: Int, since start: NIODeadline) {
        self.answered(
            method: method, status: status, nanoseconds: UInt64(max(0, (NIODeadline.now() - start).nanoseconds)))
        self.requestEnded()
    }

    /// A response of the application went out: `method` is a `MetricsLayout.methodIndex`.
    func answered(method: Int, status: Int, nanoseconds: UInt64) {
        let statusClass = MetricsLayout.statusClassIndex(status)
        self.row.add(MetricsLayout.requests + method * MetricsLayout.statusClassCount + statusClass)
        self.row.add(MetricsLayout.durationBuckets + MetricsLayout.durationBucket(nanoseconds: nanoseconds))
        self.row.add(MetricsLayout.durationSumNanoseconds, nanoseconds)
    }

    func refused(_ reason: RefusalReason) { self.row.add(MetricsLayout.refusals + reason.rawValue) }
}

/// The counters of a process's event loops, one row each, handed to each connection by its loop.
final class LoopCounters: Sendable {
    let region: MetricsRegion
    private let rows: [ObjectIdentifier: Int]

    init(region: MetricsRegion, loops: [any EventLoop]) {
        self.region = region
        var rows: [ObjectIdentifier: Int] = [:]
        for (index, loop) in loops.enumerated() {
            rows[ObjectIdentifier(loop)] = index
        }
        self.rows = rows
    }

    /// The counters of `loop`'s row.
    func counters(for loop: any EventLoop) -> RequestCounters {
        RequestCounters(row: self.region.row(self.rows[ObjectIdentifier(loop)] ?? 0))
    }
}

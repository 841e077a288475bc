/// The counts of one or more processes at one moment, summed word by word (`MetricsLayout`).
struct MetricsSnapshot: Sendable, Equatable {
    var words = [UInt64](repeating: 0, count: MetricsLayout.fieldCount)

    subscript(field: Int) -> UInt64 { self.words[field] }

    /// Adds `other`'s counts to these.
    mutating func add(_ other: MetricsSnapshot) {
        for field in 0..<MetricsLayout.fieldCount {
            self.words[field] &+= other.words[field]
        }
    }

    /// The counts of a process that is gone: its requests and connections count as ended, so
    /// that the gauges (started less ended) no longer hold them, and its counters stay as they are.
    var retired: MetricsSnapshot {
        var retired = self
        retired.words[MetricsLayout.requestsEnded] = self[MetricsLayout.requestsStarted]
        retired.words[MetricsLayout.connectionsClosed] = self[MetricsLayout.connectionsOpened]
        return retired
    }

    /// Started less ended, never below zero (a reader may see an end before its start).
    func difference(_ started: Int, _ ended: Int) -> UInt64 {
        self[started] >= self[ended] ? self[started] - self[ended] : 0
    }
}

import NIOCore

/// The least rate at which a client must send a request body while the server waits for it
/// (`--min-body-rate`), in the manner of Kestrel's `MinRequestBodyDataRate`: a client that
/// trickles a body holds a connection and a request without ever finishing either.
///
/// Time counts in one-second ticks, and only while the server waits for the client: not while it
/// holds back reading because the application has not consumed what it has, nor before it sent
/// `100 Continue`.
struct BodyRateRule: Sendable, Hashable {
    /// Bytes per second, averaged over the time waited; 0 turns the rule off.
    var bytesPerSecond: Int
    /// Seconds of waiting before the rate applies, for a slow start.
    var graceSeconds = 5

    /// How often the rate is checked while a body is awaited.
    static let tick: TimeAmount = .seconds(1)

    /// Whether `received` body bytes after `waitedSeconds` of waiting are too few.
    func isTooSlow(received: Int, waitedSeconds: Int) -> Bool {
        guard self.bytesPerSecond > 0, waitedSeconds >= self.graceSeconds else { return false }
        let (expected, overflow) = self.bytesPerSecond.multipliedReportingOverflow(by: waitedSeconds)
        return !overflow && received < expected
    }
}

import Synchronization

/// The request ids of one connection (`--request-id`): a client's `X-Request-Id` is kept when
/// `RequestLogFields.isRequestId` accepts it, else the server makes one,
/// `<process>-<connection>-<request>` in hex, where `<process>` is 64 random bits drawn once per
/// process, so that ids made by different processes and hosts do not meet.
struct RequestIdGenerator: Sendable {
    private static let process: String = {
        let random = UInt64.random(in: 0...UInt64.max)
        let hex = String(random, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }()
    private static let connections = Atomic<UInt64>(0)

    private let prefix: String
    private var requests: UInt64 = 0

    /// The generator of a new connection.
    init() {
        let connection = Self.connections.add(1, ordering: .relaxed).newValue
        self.prefix = "\(Self.process)-\(String(connection, radix: 16))-"
    }

    /// A new id.
    mutating func next() -> String {
        self.requests += 1
        return self.prefix + String(self.requests, radix: 16)
    }
}

/// `ssgi.errors`: the server's error log, for messages about the request being handled.
public struct ErrorStream: Sendable {
    private let sink: @Sendable (String) -> Void

    init(state: RequestState) {
        self.sink = { state.logError($0) }
    }

    /// An error stream that hands each message to `sink`, for tests and direct calls.
    public init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Writes one message to the error log.
    public func write(_ message: String) {
        self.sink(message)
    }
}

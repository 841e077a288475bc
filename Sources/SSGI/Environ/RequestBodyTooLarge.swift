/// The error `RequestInput.readAll(limit:)` throws when the body is longer than the limit, so that
/// a framework can answer `413 Content Too Large` instead of a generic error.
public struct RequestBodyTooLarge: Error, Sendable, Hashable, CustomStringConvertible {
    /// The limit the body went past, in bytes.
    public var limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public var description: String { "the request body is longer than \(self.limit) bytes" }
}

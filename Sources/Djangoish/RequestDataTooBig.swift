/// Thrown when `body`, `POST` or `json()` is read from a request whose body is larger than
/// `DATA_UPLOAD_MAX_MEMORY_SIZE`: answered 413 Content Too Large.
public struct RequestDataTooBig: Error, Sendable, CustomStringConvertible {
    /// The limit, in bytes.
    public var limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    public var description: String {
        "Request body exceeded DATA_UPLOAD_MAX_MEMORY_SIZE (\(self.limit) bytes)."
    }
}

/// Settings of a Flaskish application (Flask's `app.config`).
public struct Config: Sendable {
    /// The default limit on a request body: 1 MiB.
    public static let defaultMaxContentLength = 1 << 20

    /// The largest request body read, in bytes (Flask's `MAX_CONTENT_LENGTH`). A larger body is
    /// answered 413 without being read past the limit; nil reads bodies of any size into memory.
    public var maxContentLength: Int?

    /// Settings with a body limit of `maxContentLength` bytes.
    public init(maxContentLength: Int? = Config.defaultMaxContentLength) {
        self.maxContentLength = maxContentLength
    }
}

import NIOHTTP1
import SSGI

/// Limits on what a client may send; a request over them is answered by the server and never
/// reaches the application. The defaults are Gunicorn's field limits (100 fields of 8190 bytes)
/// and its largest request-line limit (8190 bytes; Gunicorn's default is 4094).
public struct RequestLimits: Sendable, Hashable {
    /// Longest request line (method, target and version), in bytes: over it, 414.
    public var requestLine = 8190
    /// Most header fields in one request: over it, 431.
    public var headerFields = 100
    /// Longest header field (name and value), in bytes: over it, 431.
    public var headerFieldSize = 8190
    /// Request body bytes held for the application before the server stops reading the socket.
    public var bodyBuffer = 64 * 1024

    /// The most body bytes one read delivers when the application leaves the size to the server
    /// (`max_length` 0, docs/SPEC.md §10.1), so that it can size its buffer.
    static let readLength = 64 * 1024

    public init() {}

    /// The status to refuse `head` with, or nil when it is within the limits.
    func violation(of head: HTTPRequestHead) -> HTTPStatus? {
        let requestLineLength = head.method.rawValue.utf8.count + head.uri.utf8.count + 10
        if requestLineLength > self.requestLine { return .uriTooLong }
        if head.headers.count > self.headerFields { return .requestHeaderFieldsTooLarge }
        for (name, value) in head.headers where name.utf8.count + value.utf8.count > self.headerFieldSize {
            return .requestHeaderFieldsTooLarge
        }
        return nil
    }

    /// Limits for SwiftNIO's parser, which swiftserve's parser keeps for trailer fields: loose enough that the checks above give the precise status,
    /// tight enough that a head cannot take unbounded memory.
    public var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = max(64 * 1024, 2 * max(self.requestLine, self.headerFieldSize))
        limits.maxHeaderFieldCount = 4 * self.headerFields + 16
        limits.maxHeaderListSize = max(limits.maxHeaderFieldSize, (self.headerFields + 1) * self.headerFieldSize)
        return limits
    }
}

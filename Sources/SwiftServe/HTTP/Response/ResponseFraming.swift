/// How the end of a response body is marked on the wire.
enum ResponseFraming: Equatable {
    /// Exactly this many body bytes, announced by Content-Length.
    case length(Int)
    /// Chunked transfer coding (HTTP/1.1 clients).
    case chunked
    /// The body ends when the server closes the connection (HTTP/1.0 clients, length unknown).
    case closeDelimited
    /// No body at all: HEAD requests, 1xx, 204 and 304 responses.
    case none
}

extension ResponseFraming {
    /// Whether body bytes go on the wire as they are, with no chunk framing around them.
    var isRaw: Bool {
        switch self {
        case .length, .closeDelimited: true
        case .chunked, .none: false
        }
    }
}

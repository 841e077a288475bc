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

extension ResponseFraming {
    /// How a response with `head` is framed for the client (docs/SPEC.md §8.2, §8.3): no body for
    /// a status that has none; the application's Content-Length; the length the server knows
    /// when the whole body is at hand (`knownLength`); chunked for an HTTP/1.1 client, else the
    /// end of the connection.
    init(for head: ResponseHead, knownLength: Int?, clientIsHTTP10: Bool) {
        if !head.allowsBody {
            self = .none
        } else if let declared = head.contentLength {
            self = .length(declared)
        } else if let knownLength {
            self = .length(knownLength)
        } else if clientIsHTTP10 {
            self = .closeDelimited
        } else {
            self = .chunked
        }
    }
}

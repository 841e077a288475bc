/// The request methods the parser knows, as llhttp knows them (`METHODS` in its
/// `src/llhttp/constants.ts`): a request line starts with one of them and a space, or the request
/// is refused. Which of them HTTP allows is decided once the protocol is read.
enum RequestMethods {
    /// What the parser needs to know of a method.
    enum Kind: Equatable {
        /// A method an `HTTP/x.y` request may use (`METHODS_HTTP`); the few the server treats
        /// apart are named.
        case http(Named)
        /// A method llhttp knows only for RTSP or ICE requests, which the server refuses.
        case other
    }

    /// The methods the server treats apart from the rest.
    enum Named: Equatable {
        case get, head, post, connect, options, pri, any
    }

    /// The longest method, `GET_PARAMETER` and `SET_PARAMETER`.
    static let longest = 13

    /// Every method llhttp knows, the HTTP ones first.
    private static let all: [(name: [UInt8], kind: Kind)] =
        ([
            ("GET", .http(.get)), ("POST", .http(.post)), ("HEAD", .http(.head)), ("PUT", .http(.any)),
            ("DELETE", .http(.any)), ("OPTIONS", .http(.options)), ("PATCH", .http(.any)), ("CONNECT", .http(.connect)),
            ("TRACE", .http(.any)), ("COPY", .http(.any)), ("LOCK", .http(.any)), ("MKCOL", .http(.any)),
            ("MOVE", .http(.any)), ("PROPFIND", .http(.any)), ("PROPPATCH", .http(.any)), ("SEARCH", .http(.any)),
            ("UNLOCK", .http(.any)), ("BIND", .http(.any)), ("REBIND", .http(.any)), ("UNBIND", .http(.any)),
            ("ACL", .http(.any)), ("REPORT", .http(.any)), ("MKACTIVITY", .http(.any)), ("CHECKOUT", .http(.any)),
            ("MERGE", .http(.any)), ("M-SEARCH", .http(.any)), ("NOTIFY", .http(.any)), ("SUBSCRIBE", .http(.any)),
            ("UNSUBSCRIBE", .http(.any)), ("PURGE", .http(.any)), ("MKCALENDAR", .http(.any)), ("LINK", .http(.any)),
            ("UNLINK", .http(.any)), ("SOURCE", .http(.any)), ("PRI", .http(.pri)), ("QUERY", .http(.any)),
            ("DESCRIBE", .other), ("ANNOUNCE", .other), ("SETUP", .other), ("PLAY", .other), ("PAUSE", .other),
            ("TEARDOWN", .other), ("GET_PARAMETER", .other), ("SET_PARAMETER", .other), ("REDIRECT", .other),
            ("RECORD", .other), ("FLUSH", .other),
        ] as [(String, Kind)]).map { (Array($0.0.utf8), $0.1) }

    /// The method `bytes` names, or nil when llhttp knows no such method.
    static func kind(of bytes: UnsafeRawBufferPointer) -> Kind? {
        // GET and POST are most requests: told without a search.
        if bytes.count == 3, bytes[0] == UInt8(ascii: "G"), bytes[1] == UInt8(ascii: "E"),
            bytes[2] == UInt8(ascii: "T")
        {
            return .http(.get)
        }
        if bytes.count == 4, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "O"),
            bytes[2] == UInt8(ascii: "S"), bytes[3] == UInt8(ascii: "T")
        {
            return .http(.post)
        }
        return Self.all.first { $0.name.elementsEqual(bytes) }?.kind
    }

    /// Whether `bytes` (the method so far) begins some known method: llhttp refuses a request at
    /// the first byte that leaves every method behind.
    static func isPrefix(_ bytes: UnsafeRawBufferPointer) -> Bool {
        Self.all.contains { $0.name.starts(with: bytes) }
    }
}

import CSSGI
import NIOCore
import NIOHTTP1
import SSGI

@testable import SwiftServe

/// A request written as a SwiftNIO `HTTPRequestHead`, described to the server's request code
/// (environ, rules, limits) as a front-end describes the requests it parses: the tests write
/// heads the way they read best, and the server code under test is the code that serves.
struct TestRequest: RequestDescription {
    let head: HTTPRequestHead
    let method: [UInt8]
    let target: [UInt8]
    private let names: [[UInt8]]
    private let values: [[UInt8]]

    init(_ head: HTTPRequestHead) {
        self.head = head
        self.method = Array(head.method.rawValue.utf8)
        self.target = Array(head.uri.utf8)
        self.names = head.headers.map { Array($0.name.utf8) }
        // The parser gives values without the whitespace around them.
        self.values = head.headers.map { field in
            let bytes = Array(field.value.utf8)
            let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == 9 }
            guard let first = bytes.firstIndex(where: { !isWhitespace($0) }) else { return [] }
            return Array(bytes[first...(bytes.lastIndex(where: { !isWhitespace($0) })!)])
        }
    }

    var isHTTP10: Bool { self.head.version.minor == 0 }

    /// The body's length as the parser frames it: chunked with a Transfer-Encoding, else the
    /// Content-Length.
    var bodyLength: Int64 {
        if self.head.headers.contains(name: "transfer-encoding") { return -1 }
        return self.head.headers.first(name: "content-length").flatMap {
            Int64($0.filter { $0 != " " && $0 != "\t" })
        } ?? 0
    }

    var fieldCount: Int { self.names.count }
    func name(at index: Int) -> [UInt8] { self.names[index] }
    func value(at index: Int) -> [UInt8] { self.values[index] }
    func kind(at index: Int) -> FieldName { self.names[index].withUnsafeBytes { FieldName($0) } }
}

/// The CGI values of a request as the application receives them: the `ssgi_request` the server
/// laid out, read back as strings.
struct EnvironmentValues {
    var requestMethod: String
    var scriptName: String
    var pathInfo: [UInt8]
    var queryString: String
    var contentType: String
    var contentLength: String
    var serverName: String
    var serverPort: String
    var serverProtocol: String
    var remoteAddr: String
    var remotePort: String
    var urlScheme: String
    var requestURI: String
    var headers: [(name: String, value: String)]
    var bodyLength: Int64
    var flags: UInt32

    init(
        head: HTTPRequestHead, connection: ConnectionInfo, flags: UInt32, forwardedBy trusted: TrustedProxies? = nil
    ) {
        let arena = RequestArena()
        let request = RequestEnvironment.fill(
            arena, from: TestRequest(head), connection: connection, flags: flags, forwardedBy: trusted
        ).request.pointee
        self.init(request)
    }

    init(_ request: ssgi_request) {
        self.requestMethod = request.request_method.string
        self.scriptName = request.script_name.string
        self.pathInfo = Array(request.path_info.buffer)
        self.queryString = request.query_string.string
        self.contentType = request.content_type.string
        self.contentLength = request.content_length.string
        self.serverName = request.server_name.string
        self.serverPort = request.server_port.string
        self.serverProtocol = request.server_protocol.string
        self.remoteAddr = request.remote_addr.string
        self.remotePort = request.remote_port.string
        self.urlScheme = request.url_scheme.string
        self.requestURI = request.request_uri.string
        self.headers = UnsafeBufferPointer(start: request.headers, count: request.header_count).map {
            ($0.name.string, $0.value.string)
        }
        self.bodyLength = request.body_length
        self.flags = request.flags
    }
}

extension RequestArena {
    /// Lays out a test request, as the connection lays out the requests it parses.
    func fill(_ request: TestRequest, connection: ConnectionInfo) -> UnsafePointer<ssgi_request> {
        RequestEnvironment.fill(self, from: request, connection: connection, flags: 0).request
    }
}

extension RequestHeadRules {
    static func refusal(of head: HTTPRequestHead) -> RequestRefusal? {
        Self.refusal(of: TestRequest(head))
    }

    static func refusal(ofTrailers trailers: HTTPHeaders) -> RequestRefusal? {
        Self.refusal(ofTrailers: trailers.map { field in Array(field.name.utf8).withUnsafeBytes { FieldName($0) } })
    }

    static func refusal(ofTarget target: String, method: HTTPMethod) -> RequestRefusal? {
        Self.refusal(ofTarget: Array(target.utf8), method: Array(method.rawValue.utf8))
    }

    static func isHost(_ value: String) -> Bool { Self.isHost(value.utf8) }
    static func isContentLength(_ value: String) -> Bool { Self.isContentLength(value.utf8) }
}

extension TransferCodings {
    mutating func add(_ value: String) { self.add(value.utf8) }
}

extension RequestLimits {
    /// The status the server refuses `head` with, when the parser reads it as sent, or nil when
    /// it is served.
    func violation(of head: HTTPRequestHead) -> HTTPStatus? {
        var text = "\(head.method.rawValue) \(head.uri) HTTP/\(head.version.major).\(head.version.minor)\r\n"
        for (name, value) in head.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        var parser = RequestParser(limits: self)
        var input = ByteBuffer(string: text)
        switch parser.next(&input) {
        case .error(let error): return RequestRefusal(error).status
        default: return nil
        }
    }
}

extension RequestEnvironment {
    /// SERVER_NAME and SERVER_PORT from `host[:port]` as strings.
    static func split(host: String, scheme: String) -> (String, String) {
        let (name, port) = Self.split(host: Array(host.utf8), scheme: scheme)
        switch port {
        case .given(let port): return (String(decoding: name, as: UTF8.self), String(decoding: port, as: UTF8.self))
        case .schemeDefault(let port): return (String(decoding: name, as: UTF8.self), port)
        }
    }

    /// PATH_INFO and QUERY_STRING of a target, as the origin form `path?query`.
    static func originForm(_ uri: String) -> String {
        let target = Array(uri.utf8)
        let parts = TargetParts(target)
        var origin: String
        switch parts.path {
        case .root: origin = "/"
        case .range(let range): origin = String(decoding: target[range], as: UTF8.self)
        }
        if let query = parts.query { origin += "?" + String(decoding: target[query], as: UTF8.self) }
        return origin
    }
}

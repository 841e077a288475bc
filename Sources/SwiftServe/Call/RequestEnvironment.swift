import NIOHTTP1
import SSGI

/// The CGI values of one request, worked out from its head and connection as the
/// specification's "The environ" section says.
struct RequestEnvironment {
    var requestMethod: String
    var scriptName: String
    /// PATH_INFO as the arena writes it: the path as sent when it holds no `%`, else its decoded bytes.
    var pathInfoBytes: PathInfo
    var queryString: Substring
    var contentType: String
    var contentLength: String
    var serverName: Substring
    var serverPort: Substring
    var serverProtocol: String
    var remoteAddr: String
    var remotePort: String
    var urlScheme: String
    var requestURI: String
    /// The headers the application sees: all but those whose names contain `_`.
    var headers: [(name: String, value: String)]
    /// The names of the headers dropped because they contain `_`, so that `Content_Length` can
    /// never pose as `CONTENT_LENGTH`.
    var droppedHeaderNames: [String] = []
    /// The body's length from Content-Length, -1 when chunked, 0 when there is none.
    var bodyLength: Int64
    /// SSGI_FLAG_* bits.
    var flags: UInt32

    /// PATH_INFO's bytes; a path without `%` needs no copy of its own.
    enum PathInfo {
        case asSent(Substring)
        case decoded([UInt8])
    }

    /// PATH_INFO: the path, percent-decoded.
    var pathInfo: [UInt8] {
        switch self.pathInfoBytes {
        case .asSent(let path): Array(path.utf8)
        case .decoded(let bytes): bytes
        }
    }

    /// `forwardedBy` is given when the connection comes from a trusted proxy: its forwarding
    /// headers then say who the client is and what it asked for (`ForwardedHeaders`).
    init(head: HTTPRequestHead, connection: ConnectionInfo, flags: UInt32, forwardedBy trusted: TrustedProxies? = nil) {
        self.requestMethod = head.method.rawValue
        self.scriptName = ""
        self.requestURI = head.uri
        let target = Self.originForm(head.uri)
        let path: Substring
        if let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = target[..<question]
            self.queryString = target[target.utf8.index(after: question)...]
        } else {
            path = target
            self.queryString = ""
        }
        self.pathInfoBytes =
            path.utf8.contains(UInt8(ascii: "%")) ? .decoded(PercentEncoding.decodedBytes(path.utf8)) : .asSent(path)
        self.serverProtocol = head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1"
        self.remoteAddr = connection.remoteAddr
        self.remotePort = connection.remotePort
        self.urlScheme = connection.urlScheme
        self.flags = flags

        var contentType: String?
        var contentLength: String?
        var host: String?
        var chunked = false
        var forwarded = ForwardedHeaders()
        self.headers = []
        self.headers.reserveCapacity(head.headers.count)
        for (name, rawValue) in head.headers {
            let value = Self.withoutTrailingWhitespace(rawValue)
            if name.utf8.contains(UInt8(ascii: "_")) {
                self.droppedHeaderNames.append(name)
                continue
            }
            if host == nil, ASCII.equalsIgnoringCase(name.utf8, "host") {
                host = value
            } else if ASCII.equalsIgnoringCase(name.utf8, "content-type") {
                contentType = contentType.map { $0 + ", " + value } ?? value
            } else if ASCII.equalsIgnoringCase(name.utf8, "content-length") {
                contentLength = contentLength ?? value
            } else if ASCII.equalsIgnoringCase(name.utf8, "transfer-encoding") {
                chunked = true
            } else if trusted != nil {
                forwarded.consider(name: name, value: value)
            }
            self.headers.append((name, value))
        }
        self.contentType = contentType ?? ""
        self.contentLength = chunked ? "" : (contentLength ?? "")
        self.bodyLength = chunked ? -1 : Int64(self.contentLength) ?? 0

        // RFC 9112 §3.2.2: for an absolute-form target, the target's authority replaces Host.
        if let authority = Self.authority(ofAbsoluteForm: head.uri) {
            host = authority
        }
        if let trusted, !forwarded.isEmpty {
            let proxied = forwarded.resolve(trusting: trusted)
            if let remoteAddr = proxied.remoteAddr {
                self.remoteAddr = remoteAddr
                self.remotePort = proxied.remotePort ?? ""
            }
            self.urlScheme = proxied.urlScheme ?? self.urlScheme
            host = proxied.host ?? host
        }
        if let host, !host.isEmpty {
            (self.serverName, self.serverPort) = Self.split(host: host, scheme: self.urlScheme)
        } else {
            self.serverName = Substring(connection.serverName)
            self.serverPort = Substring(connection.serverPort)
        }
    }

    /// The path-and-query part of a request target: absolute-form `http://host/p?q` becomes `/p?q`.
    static func originForm(_ uri: String) -> Substring {
        // Origin form, by far the most common, is told by its first byte.
        guard uri.utf8.first != UInt8(ascii: "/"), let colon = uri.firstIndex(of: ":"), uri[colon...].hasPrefix("://")
        else {
            return uri[...]
        }
        let authorityAndPath = uri[uri.index(colon, offsetBy: 3)...]
        guard let slash = authorityAndPath.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let rest = authorityAndPath[slash...]
        return rest.hasPrefix("?") ? Substring("/" + rest) : rest
    }

    /// The authority of an absolute-form target (`http://example.com:8080/p` gives
    /// `example.com:8080`), or nil for any other form.
    static func authority(ofAbsoluteForm uri: String) -> String? {
        guard uri.utf8.first != UInt8(ascii: "/"), let colon = uri.firstIndex(of: ":"), uri[colon...].hasPrefix("://")
        else {
            return nil
        }
        let rest = uri[uri.index(colon, offsetBy: 3)...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        return authority.isEmpty ? nil : String(authority)
    }

    /// `host[:port]` or `[v6]:port`; without a port (or with an empty one, RFC 3986 §3.2.3), the
    /// scheme's default port.
    static func split(host: String, scheme: String) -> (Substring, Substring) {
        // On the UTF-8 view: every index found there is a valid index into the string as well.
        let bytes = host.utf8
        let name: Substring
        var port: Substring = ""
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            let afterClose = bytes.index(after: close)
            name = host[..<afterClose]
            if afterClose < bytes.endIndex, bytes[afterClose] == UInt8(ascii: ":") {
                port = host[bytes.index(after: afterClose)...]
            }
        } else if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            name = host[..<colon]
            port = host[bytes.index(after: colon)...]
        } else {
            name = host[...]
        }
        return (name, port.isEmpty ? (scheme == "https" ? "443" : "80") : port)
    }

    /// A field value without the whitespace that may follow it (RFC 9110 §5.5); the parser
    /// already removed the whitespace before it.
    static func withoutTrailingWhitespace(_ value: String) -> String {
        guard let last = value.utf8.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") else {
            return value
        }
        var bytes = value.utf8[...]
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            bytes = bytes.dropLast()
        }
        return String(Substring(bytes))
    }
}

/// The environ: what the server tells the application about one request.
///
/// The CGI values and `ssgi.*` keys of the specification are typed properties; `environ["HTTP_HOST"]`
/// looks any key up by its CGI name, and `keys`/`all` list every key as the specification names it.
/// `HTTP_*` values are computed from `headers` when asked for, joined as the specification says.
public struct Environ: Sendable {
    /// `REQUEST_METHOD`, such as `GET`.
    public var requestMethod: String
    /// `SCRIPT_NAME`: where the application is mounted; empty at the root.
    public var scriptName: String
    /// `PATH_INFO`: the rest of the path, percent-decoded.
    public var pathInfo: String
    /// `QUERY_STRING`: the part of the target after `?`, as sent.
    public var queryString: String
    /// `CONTENT_TYPE`: empty when the request had none.
    public var contentType: String
    /// `CONTENT_LENGTH` as sent: empty when the request had none.
    public var contentLengthValue: String
    /// `SERVER_NAME`.
    public var serverName: String
    /// `SERVER_PORT`.
    public var serverPort: String
    /// `SERVER_PROTOCOL`, such as `HTTP/1.1`.
    public var serverProtocol: String
    /// `REMOTE_ADDR`: the client's address; empty on a unix socket.
    public var remoteAddr: String
    /// `REMOTE_PORT`: the client's port; empty on a unix socket.
    public var remotePort: String
    /// `ssgi.url_scheme`: `http` or `https`.
    public var urlScheme: String
    /// The request target exactly as sent (not a CGI key).
    public var requestURI: String
    /// `SSL_CLIENT_S_DN` (SSGI 1.2): the subject of the client's verified TLS certificate as
    /// RFC 4514 text, such as `CN=alice,O=Example`; empty without one.
    public var tlsClientSubject: String
    /// The request's header fields in the order received, with the names as spelled by the client.
    public var headers: [HTTPHeader]
    /// `ssgi.version`: the ABI version the application was built for, such as `1.1`.
    public var version: String
    /// `ssgi.multithread`: another thread of this process may run the application at the same time.
    public var multithread: Bool
    /// `ssgi.multiprocess`: another process may run the application at the same time.
    public var multiprocess: Bool
    /// `ssgi.run_once`: the application will be called once in this process.
    public var runOnce: Bool
    /// `ssgi.input`: the request body.
    public var input: RequestInput
    /// `ssgi.errors`: the server's error log.
    public var errors: ErrorStream

    /// Makes an environ directly, for tests and for frameworks that call applications themselves.
    public init(
        requestMethod: String = "GET",
        scriptName: String = "",
        pathInfo: String = "/",
        queryString: String = "",
        contentType: String = "",
        contentLength: String = "",
        serverName: String = "localhost",
        serverPort: String = "80",
        serverProtocol: String = "HTTP/1.1",
        remoteAddr: String = "127.0.0.1",
        remotePort: String = "0",
        urlScheme: String = "http",
        requestURI: String? = nil,
        tlsClientSubject: String = "",
        headers: [HTTPHeader] = [],
        multithread: Bool = false,
        multiprocess: Bool = false,
        runOnce: Bool = false,
        input: RequestInput = RequestInput(bytes: []),
        errors: ErrorStream = ErrorStream { _ in }
    ) {
        self.requestMethod = requestMethod
        self.scriptName = scriptName
        self.pathInfo = pathInfo
        self.queryString = queryString
        self.contentType = contentType
        self.contentLengthValue = contentLength
        self.serverName = serverName
        self.serverPort = serverPort
        self.serverProtocol = serverProtocol
        self.remoteAddr = remoteAddr
        self.remotePort = remotePort
        self.urlScheme = urlScheme
        self.requestURI = requestURI ?? (scriptName + pathInfo + (queryString.isEmpty ? "" : "?" + queryString))
        self.tlsClientSubject = tlsClientSubject
        self.headers = headers
        self.version = ApplicationDescriptor.abiVersion
        self.multithread = multithread
        self.multiprocess = multiprocess
        self.runOnce = runOnce
        self.input = input
        self.errors = errors
    }

    /// `CONTENT_LENGTH` as a number, or nil when the request did not declare one.
    public var contentLength: Int? { Int(self.contentLengthValue) }

    /// The value of the header `name` (any case), repeated fields joined as for `HTTP_*` keys.
    public func header(_ name: String) -> String? {
        self.joinedHeader { Self.equalIgnoringCase($0, name) }
    }

    /// Looks a key up by the name the specification gives it: `REQUEST_METHOD`, `HTTP_HOST`, `ssgi.version`.
    public subscript(key: String) -> String? {
        switch key {
        case "REQUEST_METHOD": return self.requestMethod
        case "SCRIPT_NAME": return self.scriptName
        case "PATH_INFO": return self.pathInfo
        case "QUERY_STRING": return self.queryString
        case "CONTENT_TYPE": return self.contentType.isEmpty ? nil : self.contentType
        case "CONTENT_LENGTH": return self.contentLengthValue.isEmpty ? nil : self.contentLengthValue
        case "SERVER_NAME": return self.serverName
        case "SERVER_PORT": return self.serverPort
        case "SERVER_PROTOCOL": return self.serverProtocol
        case "REMOTE_ADDR": return self.remoteAddr
        case "REMOTE_PORT": return self.remotePort
        case "SSL_CLIENT_S_DN": return self.tlsClientSubject.isEmpty ? nil : self.tlsClientSubject
        case "ssgi.version": return self.version
        case "ssgi.url_scheme": return self.urlScheme
        case "ssgi.input": return "<ssgi.input>"
        case "ssgi.errors": return "<ssgi.errors>"
        case "ssgi.multithread": return String(self.multithread)
        case "ssgi.multiprocess": return String(self.multiprocess)
        case "ssgi.run_once": return String(self.runOnce)
        default:
            guard key.hasPrefix("HTTP_"), key != "HTTP_CONTENT_TYPE", key != "HTTP_CONTENT_LENGTH" else {
                return nil
            }
            let cgiName = key.utf8.dropFirst(5)
            return self.joinedHeader { Self.headerName($0, hasCGIName: cgiName) }
        }
    }

    /// Every key present, in the specification's order: CGI keys, then `HTTP_*` keys in the order
    /// their headers first arrived, then the `ssgi.*` keys.
    public var keys: [String] {
        var keys = [
            "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
        ]
        if !self.contentType.isEmpty { keys.append("CONTENT_TYPE") }
        if !self.contentLengthValue.isEmpty { keys.append("CONTENT_LENGTH") }
        keys += ["SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "REMOTE_PORT"]
        if !self.tlsClientSubject.isEmpty { keys.append("SSL_CLIENT_S_DN") }
        var seen: Set<String> = []
        for header in self.headers {
            let key = Self.cgiKey(forHeader: header.name)
            guard key != "HTTP_CONTENT_TYPE", key != "HTTP_CONTENT_LENGTH", seen.insert(key).inserted else {
                continue
            }
            keys.append(key)
        }
        keys += [
            "ssgi.version", "ssgi.url_scheme", "ssgi.input", "ssgi.errors",
            "ssgi.multithread", "ssgi.multiprocess", "ssgi.run_once",
        ]
        return keys
    }

    /// Every key with its value as a string.
    public var all: [(key: String, value: String)] {
        self.keys.map { ($0, self[$0] ?? "") }
    }

    /// The CGI key for a header name: `HTTP_` and the name upper-cased, with `-` as `_`.
    public static func cgiKey(forHeader name: String) -> String {
        var key = Array("HTTP_".utf8)
        key.reserveCapacity(5 + name.utf8.count)
        for byte in name.utf8 {
            key.append(byte == UInt8(ascii: "-") ? UInt8(ascii: "_") : upper(byte))
        }
        return String(decoding: key, as: UTF8.self)
    }

    private func joinedHeader(where matches: (String) -> Bool) -> String? {
        var joined: String?
        var separator = ", "
        for header in self.headers where matches(header.name) {
            if Self.equalIgnoringCase(header.name, "cookie") { separator = "; " }
            joined = joined.map { $0 + separator + header.value } ?? header.value
        }
        return joined
    }

    private static func headerName(_ name: String, hasCGIName cgiName: Substring.UTF8View) -> Bool {
        name.utf8.elementsEqual(cgiName) { header, cgi in
            let mapped = header == UInt8(ascii: "-") ? UInt8(ascii: "_") : upper(header)
            return mapped == cgi
        }
    }

    static func equalIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8) { upper($0) == upper($1) }
    }

    private static func upper(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) ? byte - 32 : byte
    }
}

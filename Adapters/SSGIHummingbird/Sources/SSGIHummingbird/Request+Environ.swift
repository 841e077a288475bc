import HTTPTypes
import Hummingbird
import NIOHTTP1
import NIOHTTPTypesHTTP1
import SSGI

extension Request {
    /// The Hummingbird request for an SSGI environ, as Hummingbird's HTTP/1.1 server would have
    /// decoded it from the same bytes, with the body streaming from `ssgi.input`.
    ///
    /// The head goes through the same conversion Hummingbird's server uses (NIO's HTTP/1 head to
    /// `HTTPRequest`): the method, the request target as sent (still percent-encoded, an absolute-form
    /// target reduced to its path and query), the first Host field as the authority (and not as a
    /// header field), and the other fields in the order received. Differences from that server: the
    /// scheme is `ssgi.url_scheme`, a request without Host gets `SERVER_NAME` and `SERVER_PORT` as
    /// its authority, and an application mounted below a `SCRIPT_NAME` sees `PATH_INFO` as its path.
    init(environ: Environ) throws {
        let head = HTTPRequestHead(
            version: environ.serverProtocol == "HTTP/1.0" ? .http1_0 : .http1_1,
            method: HTTPMethod(rawValue: environ.requestMethod),
            uri: Self.target(of: environ),
            headers: HTTPHeaders(environ.headers.map { ($0.name, $0.value) })
        )
        var request: HTTPRequest
        do {
            request = try HTTPRequest(head, secure: environ.urlScheme == "https", splitCookie: false)
        } catch {
            throw HummingbirdAdapterError.invalidMethod(environ.requestMethod)
        }
        request.scheme = environ.urlScheme
        if request.authority == nil {
            request.authority = Self.serverAuthority(of: environ)
        }
        self.init(head: request, body: RequestBody(asyncSequence: RequestInputBody(environ.input)))
    }

    /// The request target the application routes on: the target as sent when the application is
    /// mounted at the root, else `PATH_INFO` (percent-encoded again) and `QUERY_STRING`.
    private static func target(of environ: Environ) -> String {
        if environ.scriptName.isEmpty, !environ.requestURI.isEmpty {
            return environ.requestURI
        }
        let path = percentEncodedPath(environ.pathInfo.isEmpty ? "/" : environ.pathInfo)
        return environ.queryString.isEmpty ? path : path + "?" + environ.queryString
    }

    /// `SERVER_NAME`, with `:SERVER_PORT` unless it is the scheme's default port or empty.
    private static func serverAuthority(of environ: Environ) -> String? {
        guard !environ.serverName.isEmpty else { return nil }
        let defaultPort = environ.urlScheme == "https" ? "443" : "80"
        if environ.serverPort.isEmpty || environ.serverPort == defaultPort {
            return environ.serverName
        }
        return environ.serverName + ":" + environ.serverPort
    }

    /// Encodes the bytes of a decoded path that RFC 3986 does not allow in a path as `%XX`.
    private static func percentEncodedPath(_ path: String) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(path.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                encoded.append(byte)
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"),
                UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}

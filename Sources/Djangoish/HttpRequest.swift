#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The request a view and middleware receive, Django's `HttpRequest`: method, path, query and form
/// parameters, cookies, headers and body, read from the SSGI environ.
///
/// The body is read before the middleware run, up to `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes and no
/// further; as in Django, reading `body`, `POST` or `json()` of a larger request throws
/// `RequestDataTooBig` (answered 413), while a view that never reads the body is not bothered.
public struct HttpRequest: Sendable {
    /// The body as read: its bytes, or the limit it exceeded.
    enum Body: Sendable {
        case bytes([UInt8])
        case tooLarge(limit: Int)
    }

    /// The environ the request came in, for anything not given a property here.
    public let environ: Environ
    /// The method, upper-case as sent: `GET`.
    public var method: String
    /// The whole path, percent-decoded: SCRIPT_NAME followed by PATH_INFO.
    public var path: String
    /// The path inside the project (PATH_INFO), which URL patterns are matched against.
    public var pathInfo: String
    /// The query string's parameters, Django's `request.GET`.
    public var GET: MultiDict
    /// The cookies the client sent, by name.
    public var COOKIES: [String: String]
    /// The request's headers, looked up without regard to case: `request.headers["User-Agent"]`.
    public var headers: HeaderFields
    /// The URL pattern the path matched, once the project resolved it.
    public var resolverMatch: ResolverMatch?
    let content: Body

    /// A request for `environ` whose body is `body`: for tests and for calling views directly.
    public init(environ: Environ, body: [UInt8] = []) {
        self.init(environ: environ, content: .bytes(body))
    }

    init(environ: Environ, content: Body) {
        self.environ = environ
        self.method = environ.requestMethod
        self.path = environ.scriptName + environ.pathInfo
        self.pathInfo = environ.pathInfo
        self.GET = environ.query
        self.COOKIES = environ.cookies
        self.headers = HeaderFields(environ.headers)
        self.content = content
    }

    /// Reads the request of `environ`, its body up to `limit` bytes: a body declared or found
    /// larger is left unread past the limit and marked too large.
    static func read(_ environ: Environ, limit: Int) async throws -> HttpRequest {
        if let declared = environ.contentLength, declared > limit {
            return HttpRequest(environ: environ, content: .tooLarge(limit: limit))
        }
        do {
            return HttpRequest(environ: environ, content: .bytes(try await environ.input.readAll(limit: limit)))
        } catch is RequestBodyTooLarge {
            return HttpRequest(environ: environ, content: .tooLarge(limit: limit))
        }
    }

    /// Every environ key with its value, Django's `request.META`: `REMOTE_ADDR`, `HTTP_USER_AGENT`...
    public var META: [String: String] {
        Dictionary(self.environ.all.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The path parameters of the matched URL pattern, `request.kwargs["id"]`.
    public var kwargs: [String: String] { self.resolverMatch?.kwargs ?? [:] }

    /// The path parameter `name` converted to `type`: `request.kwarg("id", as: Int.self)`.
    public func kwarg<Value: LosslessStringConvertible>(_ name: String, as type: Value.Type = Value.self) -> Value? {
        self.kwargs[name].flatMap(Value.init)
    }

    /// The body's media type, lower-cased and without parameters: `application/json`.
    public var contentType: String { self.environ.mediaType }

    /// `http` or `https`.
    public var scheme: String { self.environ.urlScheme }

    /// Whether the request came over https.
    public var isSecure: Bool { self.scheme == "https" }

    /// The body's bytes; throws `RequestDataTooBig` when it is larger than `DATA_UPLOAD_MAX_MEMORY_SIZE`.
    public var body: [UInt8] {
        get throws {
            switch self.content {
            case .bytes(let bytes): return bytes
            case .tooLarge(let limit): throw RequestDataTooBig(limit: limit)
            }
        }
    }

    /// The fields of a POST with an `application/x-www-form-urlencoded` body, Django's `request.POST`;
    /// empty for other methods and media types. Throws `RequestDataTooBig` for a body over the limit.
    public var POST: MultiDict {
        get throws {
            guard self.method == "POST", self.environ.hasFormBody else { return MultiDict() }
            return PercentEncoding.parseForm(Substring(String(decoding: try self.body, as: UTF8.self)))
        }
    }

    /// The body decoded from JSON as `type`; throws `BadRequest` when it is not JSON of that shape.
    public func json<Value: Decodable>(_ type: Value.Type = Value.self) throws -> Value {
        let body = try self.body
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw BadRequest("The request body is not valid JSON for \(type): \(error)")
        }
    }

    /// The path with the query string, percent-encoded: `/search/?q=swift`.
    public func getFullPath() -> String {
        PercentEncoding.encodePath(self.path) + (self.environ.queryString.isEmpty ? "" : "?" + self.environ.queryString)
    }
}

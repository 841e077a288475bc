import SSGI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One HTTP request as a view sees it: the environ, the route's match, query and form parameters,
/// headers, cookies and the body.
///
/// The body is read (up to `Configurator.maxBodySize`) once the view that will answer is known, so
/// `body`, `POST` and `jsonBody` are plain properties in the view; tweens run before it is read.
public struct Request: Sendable {
    /// The environ the server gave for this request.
    public let environ: Environ
    /// The request method, such as `GET`.
    public let method: String
    /// The request's header fields.
    public let headers: HeaderFields
    /// The query string's parameters.
    public let GET: MultiDict
    /// The fields of an `application/x-www-form-urlencoded` body; empty for other bodies.
    public internal(set) var POST: MultiDict
    /// The request body.
    public internal(set) var body: [UInt8]
    /// The cookies the client sent, by name.
    public let cookies: [String: String]
    /// The values of the matched route's placeholders, percent-decoded.
    public internal(set) var matchdict: [String: String]
    /// The route that matched, once routing is done.
    public internal(set) var matchedRoute: Route?

    let routes: RouteTable

    init(environ: Environ, routes: RouteTable) {
        self.environ = environ
        self.method = environ.requestMethod
        self.headers = HeaderFields(environ.headers)
        self.GET = environ.query
        self.POST = MultiDict()
        self.body = []
        self.cookies = environ.cookies
        self.matchdict = [:]
        self.matchedRoute = nil
        self.routes = routes
    }

    /// Query parameters followed by form fields; `params["key"]` is the last value, so a form field
    /// wins over a query parameter of the same name.
    public var params: MultiDict { self.GET.merging(self.POST) }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: self.body, as: UTF8.self) }

    /// The body decoded from JSON; throws a 400 `HTTPException` when it is not valid JSON of that shape.
    public func jsonBody<Value: Decodable>(as type: Value.Type = Value.self) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(self.body))
        } catch {
            throw HTTPException.badRequest("The request body is not the JSON this resource expects.")
        }
    }

    /// The placeholder `name` of the matched route converted to `type`, such as `Int`; throws a 404
    /// `HTTPException` when it is missing or does not convert, since the URL then names nothing.
    public func matched<Value: LosslessStringConvertible>(_ name: String, as type: Value.Type = Value.self) throws
        -> Value
    {
        guard let text = self.matchdict[name], let value = Value(text) else {
            throw HTTPException.notFound()
        }
        return value
    }

    /// The media type of the body, lower-cased and without parameters: `application/json`; empty
    /// when the request has none.
    public var contentType: String { self.environ.mediaType }

    /// `http` or `https`.
    public var scheme: String { self.environ.urlScheme }

    /// The host and port the client asked for.
    public var host: String { self.environ.host }

    /// `scheme://host`.
    public var hostURL: String { self.environ.hostURL }

    /// Where the application is mounted: `hostURL` followed by SCRIPT_NAME.
    public var applicationURL: String { self.environ.applicationURL }

    /// SCRIPT_NAME: where the application is mounted; empty at the root.
    public var scriptName: String { self.environ.scriptName }

    /// PATH_INFO: the path within the application, percent-decoded.
    public var pathInfo: String { self.environ.pathInfo }

    /// The query string as sent.
    public var queryString: String { self.environ.queryString }

    /// SCRIPT_NAME and PATH_INFO, percent-encoded.
    public var path: String { self.environ.path }

    /// The whole URL of the request, query string included.
    public var url: String { self.environ.url }

    /// The absolute URL of the route `name` with its placeholders filled from `values`: the
    /// application URL, the path, then the query and the fragment when given.
    ///
    /// ```swift
    /// try request.routeURL("user", ["id": "3"])  // http://example.com/users/3
    /// ```
    public func routeURL(
        _ name: String, _ values: [String: String] = [:], query: MultiDict = [:], anchor: String? = nil
    ) throws -> String {
        self.hostURL + (try self.routePath(name, values, query: query, anchor: anchor))
    }

    /// The path of the route `name`, SCRIPT_NAME included, with its placeholders filled from `values`,
    /// then the query and the fragment when given.
    public func routePath(
        _ name: String, _ values: [String: String] = [:], query: MultiDict = [:], anchor: String? = nil
    ) throws -> String {
        guard let route = self.routes.route(named: name) else {
            throw URLGenerationError(routeName: name)
        }
        let generated = route.compiled.generate(values)
        if let missing = generated.missing {
            throw URLGenerationError(routeName: name, missingPlaceholder: missing)
        }
        var path = PercentEncoding.encodePath(self.environ.scriptName) + generated.path
        if !query.isEmpty { path += "?" + PercentEncoding.encodeForm(query) }
        if let anchor { path += "#" + PercentEncoding.encodeFragment(anchor) }
        return path
    }

    /// Stores the body the router read, and parses it when it is a form.
    mutating func attach(body: [UInt8]) {
        self.body = body
        if self.environ.hasFormBody {
            self.POST = PercentEncoding.parseForm(String(decoding: body, as: UTF8.self)[...])
        }
    }
}

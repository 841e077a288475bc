#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The request a view receives (Flask's `request`): the method and path, query arguments, form
/// fields, JSON, headers, cookies, the body, and the values of the rule's variables.
///
/// The body is read before the view runs, up to `Config.maxContentLength`, so `data`, `form` and
/// `json(as:)` need no `await`. The SSGI environ stays available as `environ`.
///
/// Nothing is parsed for a view that does not ask: `args`, `form`, `headers` and `cookies` are
/// read from the environ and the body each time they are accessed, so a view that reads one of
/// them many times keeps it in a local.
public struct Request: Sendable {
    /// The SSGI environ of the request.
    public let environ: Environ
    /// The values of the matched rule's variables, typed by their converters.
    public let viewArgs: [String: ViewArgument]
    /// The body's bytes; empty until read, and for requests without a body.
    public internal(set) var data: [UInt8] = []

    /// The matched rule; nil when no rule matched.
    let rule: Rule?
    let urlMap: URLMap

    init(environ: Environ, urlMap: URLMap, match: RouteMatch) {
        self.environ = environ
        if case .matched(let rule, let values) = match {
            self.rule = rule
            self.viewArgs = values
        } else {
            self.rule = nil
            self.viewArgs = [:]
        }
        self.urlMap = urlMap
    }

    /// The query string's arguments, in order (`?tag=a&tag=b` keeps both).
    public var args: MultiDict { self.environ.query }
    /// The request's header fields, looked up without regard to case.
    public var headers: HeaderFields { HeaderFields(self.environ.headers) }
    /// The cookies the client sent, by name.
    public var cookies: [String: String] { self.environ.cookies }
    /// The fields of an `application/x-www-form-urlencoded` body, in order; empty for other bodies.
    public var form: MultiDict {
        self.environ.hasFormBody ? PercentEncoding.parseForm(self.text[...]) : MultiDict()
    }
    /// The endpoint of the matched rule; nil when no rule matched.
    public var endpoint: String? { self.rule?.endpoint }
    /// The pattern of the matched rule, such as `/users/<int:id>`; nil when no rule matched.
    public var urlRule: String? { self.rule?.pattern }

    /// The method, such as `GET`.
    public var method: String { self.environ.requestMethod }
    /// The path within the application, percent-decoded (PATH_INFO), such as `/users/7`.
    public var path: String { self.environ.pathInfo }
    /// Where the application is mounted (SCRIPT_NAME); empty at the root.
    public var scriptRoot: String { self.environ.scriptName }
    /// The path and the query string, as `/search?q=swift`.
    public var fullPath: String {
        self.path + (self.environ.queryString.isEmpty ? "" : "?" + self.environ.queryString)
    }
    /// The whole URL, scheme, host and query string included.
    public var url: String { self.environ.url }
    /// The host the client asked for, with its port when it is not the default.
    public var host: String { self.environ.host }
    /// `http` or `https`.
    public var scheme: String { self.environ.urlScheme }
    /// The client's address.
    public var remoteAddr: String { self.environ.remoteAddr }
    /// The Content-Type header as sent; empty when there is none.
    public var contentType: String { self.environ.contentType }
    /// The media type of the body without parameters, lower-cased: `application/json`.
    public var mimetype: String { self.environ.mediaType }
    /// The declared Content-Length, if any.
    public var contentLength: Int? { self.environ.contentLength }
    /// The body as UTF-8 text.
    public var text: String { String(decoding: self.data, as: UTF8.self) }
    /// The query arguments followed by the form fields (Flask's `request.values`).
    public var values: MultiDict { self.args.merging(self.form) }

    /// Whether the body is JSON: `application/json` or a `+json` type such as `application/problem+json`.
    public var isJSON: Bool {
        let type = self.mimetype
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    /// The body decoded from JSON as `type` (Flask's `request.json`, typed). Throws a 415 when the
    /// Content-Type is not JSON and a 400 when the body does not decode as `type`.
    public func json<Value: Decodable>(as type: Value.Type = Value.self) throws -> Value {
        guard self.isJSON else {
            throw HTTPException(
                .unsupportedMediaType,
                message: "Did not attempt to load JSON data because the request Content-Type was not"
                    + " 'application/json'.")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(self.data))
        } catch {
            throw HTTPException(.badRequest, message: "Failed to decode JSON object: \(Self.reason(error))")
        }
    }

    /// The view argument `name` as `type`: `let id: Int = try request.viewArg("id")`. Throws a
    /// `RoutingError` (a 500) when the rule has no such variable or it holds another type.
    public func viewArg<Value: ViewArgumentConvertible>(_ name: String, as type: Value.Type = Value.self) throws
        -> Value
    {
        guard let argument = self.viewArgs[name] else {
            throw RoutingError("the rule '\(self.urlRule ?? "")' has no variable '\(name)'")
        }
        guard let value = Value(viewArgument: argument) else {
            throw RoutingError("the view argument '\(name)' is \(argument), which is not a \(Value.self)")
        }
        return value
    }

    /// The URL of `endpoint` (Flask's `url_for`), mounted under SCRIPT_NAME: `values` fill the
    /// rule's variables and the rest become the query string; `external` adds the scheme and host.
    public func url(
        for endpoint: String, _ values: [String: any CustomStringConvertible] = [:], anchor: String? = nil,
        external: Bool = false
    ) throws(RoutingError) -> String {
        let path = try self.urlMap.build(endpoint, values)
        let url = (external ? self.environ.applicationURL : PercentEncoding.encodePath(self.scriptRoot)) + path
        return anchor.map { url + "#" + PercentEncoding.encodeFragment($0) } ?? url
    }

    /// Reads the body, refusing one longer than `limit` with a 413; a request without a body
    /// costs no read.
    mutating func readBody(limit: Int?) async throws {
        guard !self.environ.input.isKnownEmpty else { return }
        if let limit, let declared = self.contentLength, declared > limit {
            throw HTTPException(.contentTooLarge)
        }
        do {
            self.data = try await self.environ.input.readAll(limit: limit ?? .max)
        } catch is RequestBodyTooLarge {
            throw HTTPException(.contentTooLarge)
        }
    }

    /// A short reason for a JSON decoding failure, naming the key path where it happened.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "the body is not valid JSON" }
        func location(_ path: [any CodingKey]) -> String {
            path.isEmpty
                ? "the top level"
                : "'"
                    + path.map { $0.intValue.map(String.init) ?? $0.stringValue }
                    .joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(location(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(location(context.codingPath))"
        case .valueNotFound(let type, let context):
            return "expected \(type) at \(location(context.codingPath)), found null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the body is not valid JSON" : "invalid value at \(location(context.codingPath))"
        @unknown default:
            return "the body does not match the expected shape"
        }
    }
}

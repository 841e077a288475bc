/// A response in memory, as a view returns it: status, headers and body (Werkzeug's `Response`).
///
/// The default Content-Type is Flask's `text/html; charset=utf-8`; `text(_:)`, `jsonify(_:)` and
/// `redirect(to:code:)` make the other common kinds.
public struct Response: Sendable {
    /// The status, 200 OK unless set.
    public var status: HTTPStatus
    /// The header fields, Content-Type included.
    public var headers: HeaderFields
    /// The body's bytes.
    public var body: [UInt8]

    /// The HTML (or other) media type Flask gives a string a view returns.
    public static let defaultContentType = "text/html; charset=utf-8"

    /// A response whose body is `text` in UTF-8.
    public init(
        _ text: String = "", status: HTTPStatus = .ok, headers: HeaderFields = [:],
        contentType: String = Response.defaultContentType
    ) {
        self.init(bytes: Array(text.utf8), status: status, headers: headers, contentType: contentType)
    }

    /// A response whose body is `bytes`; `headers` may set their own Content-Type.
    public init(
        bytes: [UInt8], status: HTTPStatus = .ok, headers: HeaderFields = [:],
        contentType: String = Response.defaultContentType
    ) {
        self.status = status
        self.headers = headers
        self.body = bytes
        if !headers.contains("Content-Type") { self.headers["Content-Type"] = contentType }
    }

    /// The status code, such as 200.
    public var statusCode: Int { self.status.code }

    /// The Content-Type header.
    public var contentType: String? {
        get { self.headers["Content-Type"] }
        set { self.headers["Content-Type"] = newValue }
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: self.body, as: UTF8.self) }

    /// Adds a Set-Cookie header (Flask's `set_cookie`); see `HeaderFields.setCookie`.
    public mutating func setCookie(
        _ name: String, _ value: String, maxAge: Int? = nil, path: String? = "/", domain: String? = nil,
        secure: Bool = false, httpOnly: Bool = false, sameSite: HeaderFields.SameSite? = nil
    ) {
        self.headers.setCookie(
            name, value, maxAge: maxAge, path: path, domain: domain, secure: secure, httpOnly: httpOnly,
            sameSite: sameSite)
    }

    /// Adds a Set-Cookie header that makes the browser forget `name` (Flask's `delete_cookie`).
    public mutating func deleteCookie(_ name: String, path: String? = "/", domain: String? = nil) {
        self.headers.deleteCookie(name, path: path, domain: domain)
    }

    /// The response as the SDK sends it.
    var buffered: BufferedResponse {
        BufferedResponse(status: self.status, headers: self.headers, body: self.body)
    }
}

/// A response in memory, as a view returns it: status, headers and body (Werkzeug's `Response`).
///
/// The default Content-Type is Flask's `text/html; charset=utf-8`; `text(_:)`, `jsonify(_:)` and
/// `redirect(to:code:)` make the other common kinds.
///
/// A body given as a string is kept as the string and sent as its UTF-8, never copied into
/// bytes; the header fields of a response that sets only its Content-Type share storage made
/// once for each common type.
public struct Response: Sendable {
    /// The status, 200 OK unless set.
    public var status: HTTPStatus
    /// The header fields, Content-Type included.
    public var headers: HeaderFields
    /// The body as it is sent: the string a view gave, or bytes.
    var content: BodyChunk

    /// The HTML (or other) media type Flask gives a string a view returns.
    public static let defaultContentType = "text/html; charset=utf-8"

    /// A response whose body is `text` in UTF-8.
    public init(
        _ text: String = "", status: HTTPStatus = .ok, headers: HeaderFields = [:],
        contentType: String = Response.defaultContentType
    ) {
        self.init(content: BodyChunk(text), status: status, headers: headers, contentType: contentType)
    }

    /// A response whose body is `bytes`; `headers` may set their own Content-Type.
    public init(
        bytes: [UInt8], status: HTTPStatus = .ok, headers: HeaderFields = [:],
        contentType: String = Response.defaultContentType
    ) {
        self.init(content: BodyChunk(bytes), status: status, headers: headers, contentType: contentType)
    }

    init(content: BodyChunk, status: HTTPStatus, headers: HeaderFields, contentType: String) {
        self.status = status
        self.content = content
        if headers.fields.isEmpty {
            self.headers = Self.headers(contentType: contentType)
        } else {
            self.headers = headers
            if !headers.contains("Content-Type") { self.headers["Content-Type"] = contentType }
        }
    }

    /// The body's bytes.
    public var body: [UInt8] {
        get { self.content.bytes }
        set { self.content = BodyChunk(newValue) }
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

    /// The response as the SDK sends it, made of this one's parts without copying them.
    consuming func buffered() -> BufferedResponse {
        BufferedResponse(status: self.status, headers: self.headers, content: self.content)
    }

    static let plainTextContentType = "text/plain; charset=utf-8"
    static let jsonContentType = "application/json"

    private static let htmlHeaders: HeaderFields = ["Content-Type": Response.defaultContentType]
    private static let plainTextHeaders: HeaderFields = ["Content-Type": Response.plainTextContentType]
    private static let jsonHeaders: HeaderFields = ["Content-Type": Response.jsonContentType]

    /// Header fields holding only the Content-Type `contentType`: for the common types, storage
    /// shared by every response, copied only if a response changes its headers.
    private static func headers(contentType: String) -> HeaderFields {
        switch contentType {
        case Self.defaultContentType: Self.htmlHeaders
        case Self.plainTextContentType: Self.plainTextHeaders
        case Self.jsonContentType: Self.jsonHeaders
        default: ["Content-Type": contentType]
        }
    }
}

/// A response held in memory, Django's `HttpResponse`: status, headers and content.
///
/// String content is encoded with the charset of the Content-Type, else `DEFAULT_CHARSET`; the
/// default Content-Type is `text/html; charset=<DEFAULT_CHARSET>`. Headers are set as in Django,
/// `response["Cache-Control"] = "no-cache"`; cookies with `response.headers.setCookie(...)`.
public struct HttpResponse: HttpResponseConvertible {
    /// The status: code and reason phrase.
    public var status: HTTPStatus
    /// The header fields, Content-Type included.
    public var headers: HeaderFields
    /// The body's bytes.
    public var content: [UInt8]
    /// The charset `content` is in.
    public var charset: Charset

    /// A response whose content is `content`, encoded with the Content-Type's charset or `DEFAULT_CHARSET`.
    public init(
        _ content: String = "", status: HTTPStatus = .ok, contentType: String? = nil, headers: HeaderFields = [:]
    ) {
        let charset = contentType.flatMap(Charset.init(contentType:)) ?? Settings.current.defaultCharset
        self.init(bytes: charset.encode(content), status: status, contentType: contentType, headers: headers)
    }

    /// A response whose content is `bytes` as they are.
    public init(bytes: [UInt8], status: HTTPStatus = .ok, contentType: String? = nil, headers: HeaderFields = [:]) {
        self.charset = contentType.flatMap(Charset.init(contentType:)) ?? Settings.current.defaultCharset
        self.status = status
        self.headers = headers
        self.content = bytes
        if let contentType {
            self.headers["Content-Type"] = contentType
        } else if !self.headers.contains("Content-Type") {
            self.headers["Content-Type"] = "text/html; charset=\(self.charset.rawValue)"
        }
    }

    /// The status code, `200`.
    public var statusCode: Int { self.status.code }

    /// The header `name`, any case; setting nil removes it.
    public subscript(name: String) -> String? {
        get { self.headers[name] }
        set { self.headers[name] = newValue }
    }

    /// The content decoded with `charset`.
    public var text: String { self.charset.decode(self.content) }

    public var httpResponse: HttpResponse { self }
}

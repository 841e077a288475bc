import SSGI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a view returns: a status, headers and a body held in memory.
///
/// As in WebOb, a response made from text has a Content-Type of `text/html; charset=utf-8` unless
/// told otherwise. The framework adds Content-Length when it sends the response, and drops the
/// body and Content-Type of statuses that carry none (1xx, 204, 304).
public struct Response: Sendable, ResponseConvertible {
    /// The status, such as `.ok` or `HTTPStatus(418)`.
    public var status: HTTPStatus
    /// The header fields, Content-Type included.
    public var headers: HeaderFields
    /// The body's bytes.
    public var body: [UInt8]

    /// A response whose body is `text` as UTF-8.
    ///
    /// - Parameters:
    ///   - contentType: The media type; `charset` is appended to `text/*` types that name none.
    ///   - headers: More fields; a Content-Type among them replaces `contentType`.
    public init(
        _ text: String = "", status: HTTPStatus = .ok, contentType: String = "text/html", charset: String? = "utf-8",
        headers: HeaderFields = [:]
    ) {
        self.init(
            body: Array(text.utf8), status: status, contentType: Self.contentType(contentType, charset: charset),
            headers: headers)
    }

    /// A response whose body is `body`; with no `contentType`, none is set.
    public init(
        body: [UInt8], status: HTTPStatus = .ok, contentType: String? = "application/octet-stream",
        headers: HeaderFields = [:]
    ) {
        self.status = status
        self.body = body
        if let contentType, !headers.contains("Content-Type") {
            self.headers = HeaderFields([("Content-Type", contentType)] + headers.fields)
        } else {
            self.headers = headers
        }
    }

    /// A response whose body is `value` encoded as JSON (keys sorted, `/` not escaped), with
    /// Content-Type `application/json`.
    public static func json<Value: Encodable>(
        _ value: Value, status: HTTPStatus = .ok, headers: HeaderFields = [:]
    ) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            body: Array(try encoder.encode(value)), status: status, contentType: "application/json", headers: headers)
    }

    /// The numeric status, such as 200.
    public var statusCode: Int { self.status.code }

    /// The body as UTF-8 text; setting it replaces the body.
    public var text: String {
        get { String(decoding: self.body, as: UTF8.self) }
        set { self.body = Array(newValue.utf8) }
    }

    /// The Content-Type header.
    public var contentType: String? {
        get { self.headers["Content-Type"] }
        set { self.headers["Content-Type"] = newValue }
    }

    /// The Location header, where a redirect points.
    public var location: String? {
        get { self.headers["Location"] }
        set { self.headers["Location"] = newValue }
    }

    public var response: Response { self }

    /// `type` with `; charset=...` appended when it is a `text/*` type that names no charset.
    static func contentType(_ type: String, charset: String?) -> String {
        guard let charset, type.lowercased().hasPrefix("text/"), !type.lowercased().contains("charset=") else {
            return type
        }
        return "\(type); charset=\(charset)"
    }
}

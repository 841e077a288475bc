import SSGI

/// An HTTP error or redirect that a view throws (or returns) to answer with it, as Pyramid's
/// `HTTPNotFound` or `HTTPFound(location=...)`.
///
/// ```swift
/// throw HTTPException.notFound("No user \(id).")
/// throw HTTPException.found(location: try request.routePath("login"))
/// ```
///
/// The response is plain text: the status line, an explanation and the detail, if any.
public struct HTTPException: Error, Sendable, ResponseConvertible, CustomStringConvertible {
    /// The status to answer with.
    public var status: HTTPStatus
    /// Text for the client, after the explanation.
    public var detail: String?
    /// Header fields to send, such as Location or Allow.
    public var headers: HeaderFields

    public init(_ status: HTTPStatus, detail: String? = nil, headers: HeaderFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    /// Where a redirect points.
    public var location: String? { self.headers["Location"] }

    /// The response sent for the exception.
    public var response: Response {
        guard self.status.allowsBody else {
            return Response(body: [], status: self.status, contentType: nil, headers: self.headers)
        }
        var text = "\(self.status)\n"
        if let explanation = self.explanation { text += "\n\(explanation)\n" }
        if let detail = self.detail { text += "\n\(detail)\n" }
        return Response(text, status: self.status, contentType: "text/plain", headers: self.headers)
    }

    public var description: String {
        self.detail.map { "\(self.status): \($0)" } ?? "\(self.status)"
    }

    /// A sentence about the status, as Pyramid's `explanation`.
    var explanation: String? {
        switch self.status.code {
        case 301, 302, 303, 307, 308: self.location.map { "The resource was found at \($0)." }
        case 400: "The server could not comply with the request since it is either malformed or otherwise incorrect."
        case 401: "This server could not verify that you are authorized to access the resource you requested."
        case 403: "Access was denied to this resource."
        case 404: "The resource could not be found."
        case 405: "The method is not allowed for this resource."
        case 409: "There was a conflict when trying to complete your request."
        case 410: "This resource is no longer available."
        case 413: "The request is larger than the server is willing or able to process."
        case 415: "The request media type is not supported by this server."
        case 422: "Unable to process the contained instructions."
        case 500: "The server has either erred or is incapable of performing the requested operation."
        default: nil
        }
    }

    /// 204 No Content.
    public static func noContent() -> HTTPException {
        HTTPException(.noContent)
    }

    /// 301 Moved Permanently to `location`.
    public static func movedPermanently(location: String) -> HTTPException {
        HTTPException(.movedPermanently, headers: ["Location": location])
    }

    /// 302 Found: a redirect to `location`.
    public static func found(location: String) -> HTTPException {
        HTTPException(.found, headers: ["Location": location])
    }

    /// 303 See Other: after a POST, go and GET `location`.
    public static func seeOther(location: String) -> HTTPException {
        HTTPException(.seeOther, headers: ["Location": location])
    }

    /// 304 Not Modified.
    public static func notModified() -> HTTPException {
        HTTPException(.notModified)
    }

    /// 307 Temporary Redirect to `location`, keeping the method and body.
    public static func temporaryRedirect(location: String) -> HTTPException {
        HTTPException(.temporaryRedirect, headers: ["Location": location])
    }

    /// 308 Permanent Redirect to `location`, keeping the method and body.
    public static func permanentRedirect(location: String) -> HTTPException {
        HTTPException(.permanentRedirect, headers: ["Location": location])
    }

    /// 400 Bad Request.
    public static func badRequest(_ detail: String? = nil) -> HTTPException {
        HTTPException(.badRequest, detail: detail)
    }

    /// 401 Unauthorized, with the WWW-Authenticate challenge when one is given.
    public static func unauthorized(_ detail: String? = nil, challenge: String? = nil) -> HTTPException {
        HTTPException(
            .unauthorized, detail: detail, headers: HeaderFields(challenge.map { [("WWW-Authenticate", $0)] } ?? []))
    }

    /// 403 Forbidden.
    public static func forbidden(_ detail: String? = nil) -> HTTPException {
        HTTPException(.forbidden, detail: detail)
    }

    /// 404 Not Found.
    public static func notFound(_ detail: String? = nil) -> HTTPException {
        HTTPException(.notFound, detail: detail)
    }

    /// 405 Method Not Allowed, with the methods the resource allows in the Allow header.
    public static func methodNotAllowed(allow: [String], detail: String? = nil) -> HTTPException {
        HTTPException(.methodNotAllowed, detail: detail, headers: ["Allow": allow.joined(separator: ", ")])
    }

    /// 409 Conflict.
    public static func conflict(_ detail: String? = nil) -> HTTPException {
        HTTPException(.conflict, detail: detail)
    }

    /// 410 Gone.
    public static func gone(_ detail: String? = nil) -> HTTPException {
        HTTPException(.gone, detail: detail)
    }

    /// 413 Content Too Large.
    public static func contentTooLarge(_ detail: String? = nil) -> HTTPException {
        HTTPException(.contentTooLarge, detail: detail)
    }

    /// 415 Unsupported Media Type.
    public static func unsupportedMediaType(_ detail: String? = nil) -> HTTPException {
        HTTPException(.unsupportedMediaType, detail: detail)
    }

    /// 422 Unprocessable Content.
    public static func unprocessableContent(_ detail: String? = nil) -> HTTPException {
        HTTPException(.unprocessableContent, detail: detail)
    }

    /// 500 Internal Server Error.
    public static func internalServerError(_ detail: String? = nil) -> HTTPException {
        HTTPException(.internalServerError, detail: detail)
    }
}

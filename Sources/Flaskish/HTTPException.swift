/// An HTTP error a view raises with `abort(404)` (Werkzeug's `HTTPException`): it stops the view,
/// and the error handler registered for its status, or its own HTML page, becomes the response.
///
/// The framework raises them too: 404 and 405 from routing, 400 and 415 for a body it cannot read,
/// 413 for a body over `Config.maxContentLength`, and 500 wrapping an error no handler took.
public struct HTTPException: Error, Sendable, CustomStringConvertible {
    /// The status, such as 404 Not Found.
    public var status: HTTPStatus
    /// The text shown on the error page; each status has Werkzeug's default.
    public var message: String
    /// Headers the error's response carries, such as `Allow` on a 405.
    public var headers: HeaderFields
    /// A response given to `abort(_:)`: sent as it is, without error handlers.
    public var response: Response?
    /// For a 500 made from an error no handler took, that error.
    public var originalError: (any Error)?

    /// An error with `status`, `message` (the status's default when nil) and `headers`.
    public init(
        _ status: HTTPStatus, message: String? = nil, headers: HeaderFields = [:], originalError: (any Error)? = nil
    ) {
        self.status = status
        self.message = message ?? Self.defaultMessage(for: status.code)
        self.headers = headers
        self.response = nil
        self.originalError = originalError
    }

    /// An error that answers with `response` as it is.
    public init(response: Response) {
        self.init(response.status)
        self.response = response
    }

    /// The status code, such as 404.
    public var code: Int { self.status.code }

    /// `404 Not Found: The requested URL was not found on the server...`
    public var description: String { "\(self.status): \(self.message)" }

    /// The response sent when no error handler takes the error: the given response, or Werkzeug's
    /// short HTML page naming the status with the message.
    public func makeResponse() -> Response {
        if let response = self.response { return response }
        let page = """
            <!doctype html>
            <html lang=en>
            <title>\(HTMLEscaping.escape(self.status.description))</title>
            <h1>\(HTMLEscaping.escape(self.status.reasonPhrase))</h1>
            <p>\(HTMLEscaping.escape(self.message))</p>

            """
        var response = Response(page, status: self.status)
        for (name, value) in self.headers { response.headers[name] = value }
        return response
    }

    /// Werkzeug's description of each status it names; empty for the others.
    static func defaultMessage(for code: Int) -> String {
        switch code {
        case 400: "The browser (or proxy) sent a request that this server could not understand."
        case 401:
            "The server could not verify that you are authorized to access the URL requested. You either supplied"
                + " the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the"
                + " credentials required."
        case 403:
            "You don't have the permission to access the requested resource. It is either read-protected or not"
                + " readable by the server."
        case 404:
            "The requested URL was not found on the server. If you entered the URL manually please check your"
                + " spelling and try again."
        case 405: "The method is not allowed for the requested URL."
        case 406:
            "The resource identified by the request is only capable of generating response entities which have"
                + " content characteristics not acceptable according to the accept headers sent in the request."
        case 408:
            "The server closed the network connection because the browser didn't finish the request within the"
                + " specified time."
        case 409:
            "A conflict happened while processing the request. The resource might have been modified while the"
                + " request was being processed."
        case 410:
            "The requested URL is no longer available on this server and there is no forwarding address. If you"
                + " followed a link from a foreign page, please contact the author of this page."
        case 411: "A request with this method requires a valid Content-Length header."
        case 412: "The precondition on the request for the URL failed positive evaluation."
        case 413: "The data value transmitted exceeds the capacity limit."
        case 414:
            "The length of the requested URL exceeds the capacity limit for this server. The request cannot be"
                + " processed."
        case 415: "The server does not support the media type transmitted in the request."
        case 422: "The request was well-formed but was unable to be followed due to semantic errors."
        case 429: "This user has exceeded an allotted request count. Try again later."
        case 500:
            "The server encountered an internal error and was unable to complete your request. Either the server is"
                + " overloaded or there is an error in the application."
        case 501: "The server does not support the action requested by the browser."
        case 502: "The proxy server received an invalid response from an upstream server."
        case 503:
            "The server is temporarily unable to service your request due to maintenance downtime or capacity"
                + " problems. Please try again later."
        case 504: "The connection to an upstream server timed out."
        default: ""
        }
    }
}

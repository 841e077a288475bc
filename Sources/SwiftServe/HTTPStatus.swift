/// A status the server sends by itself, never taken from an application.
struct HTTPStatus: Equatable, Sendable {
    var code: Int
    var reason: String

    static let badRequest = HTTPStatus(code: 400, reason: "Bad Request")
    static let requestTimeout = HTTPStatus(code: 408, reason: "Request Timeout")
    static let uriTooLong = HTTPStatus(code: 414, reason: "URI Too Long")
    static let headerFieldsTooLarge = HTTPStatus(code: 431, reason: "Request Header Fields Too Large")
    static let internalServerError = HTTPStatus(code: 500, reason: "Internal Server Error")
    static let notImplemented = HTTPStatus(code: 501, reason: "Not Implemented")
}

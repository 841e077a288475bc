import SSGI

/// Why the server answers a request itself instead of handing it to the application: the status
/// it answers with, and the rule the request broke, for the debug log.
struct RequestRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    var status: HTTPStatus
    /// The rule, in the words of docs/SPEC.md §14.1.
    var rule: String

    init(_ status: HTTPStatus, _ rule: String) {
        self.status = status
        self.rule = rule
    }

    /// The refusal for what the parser found wrong: 414 for a request line over the limit, 431
    /// for a head over the limits of fields, else 400.
    init(_ error: RequestParseError) {
        switch error.rule {
        case .requestLineTooLong: self.init(.uriTooLong, error.reason)
        case .tooManyFields, .fieldTooLarge, .parserLimits: self.init(.requestHeaderFieldsTooLarge, error.reason)
        case .notHTTP: self.init(.badRequest, error.reason)
        case .syntax: self.init(.badRequest, "malformed request: \(error.reason)")
        }
    }

    /// The client closed its sending side in the middle of a request: what it sent is incomplete.
    static let closedBeforeComplete = RequestRefusal(
        .badRequest, "the client closed its side of the connection before the request was complete")

    var description: String { "\(self.status.code) \(self.status.reasonPhrase): \(self.rule)" }
}

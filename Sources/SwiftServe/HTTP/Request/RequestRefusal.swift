import NIOHTTP1
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

    /// The refusal for what the parser found wrong: 431 for a head over its size limits, else 400.
    init(_ parserError: HTTPParserError) {
        if parserError == .headerOverflow {
            self.init(.requestHeaderFieldsTooLarge, "the request head is over the parser's size limits")
        } else {
            self.init(.badRequest, "malformed request: \(parserError)")
        }
    }

    var description: String { "\(self.status.code) \(self.status.reasonPhrase): \(self.rule)" }
}

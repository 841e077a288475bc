/// Why the parser refused the bytes of a request, and which rule that is: llhttp's, which the
/// parser is held to, or one of the server's stricter rules of docs/SPEC.md §14.1.
public struct RequestParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule a request broke.
    public enum Rule: Hashable, Sendable {
        /// A rule of HTTP/1.1's syntax as llhttp (strict, no lenient flags) applies it: the
        /// request line, the field lines, the framing fields, the chunked coding.
        case syntax
        /// Over the limits of SwiftNIO's parser (`NIOHTTPDecoderLimitConfiguration`), which the
        /// parser keeps for trailer fields: 431.
        case parserLimits
        /// The server's: a request line (method, target, version and the spaces between them)
        /// over `RequestLimits.requestLine` bytes: 414.
        case requestLineTooLong
        /// The server's: more than `RequestLimits.headerFields` header fields: 431.
        case tooManyFields
        /// The server's: a field whose name and value, or the whitespace before its value, are
        /// over `RequestLimits.headerFieldSize` bytes: 431.
        case fieldTooLarge
        /// The server's: a request line whose protocol is not HTTP (llhttp also reads RTSP and
        /// ICE request lines): 400.
        case notHTTP
    }

    public var rule: Rule
    /// What was wrong, in llhttp's words where the rule is its.
    public var reason: String

    init(_ rule: Rule, _ reason: String) {
        self.rule = rule
        self.reason = reason
    }

    static func syntax(_ reason: String) -> RequestParseError { RequestParseError(.syntax, reason) }

    /// Whether the rule is one of the server's own, stricter than llhttp's.
    public var isServerRule: Bool {
        switch self.rule {
        case .syntax, .parserLimits: false
        case .requestLineTooLong, .tooManyFields, .fieldTooLarge, .notHTTP: true
        }
    }

    public var description: String { self.reason }
}

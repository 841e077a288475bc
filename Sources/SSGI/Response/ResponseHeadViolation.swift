import CSSGI

/// The rule of docs/SPEC.md §7 that a status and headers given to `start_response` break, with
/// the result code a server refuses them with: so that a refusal names its actual rule, in the
/// SDK's messages and in the validator's, and a server-side stand-in returns the server's code.
public enum ResponseHeadViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status is not `NNN Reason` (§7.1).
    case status(String)
    /// A header name is not a token (§7.2).
    case headerName(String)
    /// A header value holds a control character other than horizontal tab (§7.2).
    case headerValue(name: String)
    /// A Content-Length value that is not one or more digits (§7.2).
    case contentLength(String)
    /// Content-Length fields with different values (§7.2).
    case conflictingContentLengths
    /// A Content-Length on a 1xx or 204 response (§7.2, RFC 9110 §8.6).
    case contentLengthNotAllowed(status: Int)
    /// A hop-by-hop header, which belongs to the server (§7.3).
    case hopByHop(String)

    /// The first rule `status` and `headers` break, checked in the order a server checks them.
    public static func find(status: String, headers: [HTTPHeader]) -> ResponseHeadViolation? {
        guard let code = ResponseRules.statusCode(status.utf8) else { return .status(status) }
        var contentLength: String?
        for (name, value) in headers {
            guard ResponseRules.isHeaderName(name.utf8) else { return .headerName(name) }
            guard ResponseRules.isHeaderValue(value.utf8) else { return .headerValue(name: name) }
            guard !ResponseRules.isHopByHop(name.utf8) else { return .hopByHop(name) }
            guard ASCII.equalsIgnoringCase(name.utf8, "content-length") else { continue }
            guard !value.isEmpty, value.utf8.count <= 18, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return .contentLength(value)
            }
            if let earlier = contentLength, Int(earlier) != Int(value) { return .conflictingContentLengths }
            contentLength = value
        }
        if contentLength != nil, (100..<200).contains(code) || code == 204 {
            return .contentLengthNotAllowed(status: code)
        }
        return nil
    }

    /// The result code `start_response` returns for this violation.
    public var code: Int32 {
        switch self {
        case .status: Int32(SSGI_E_INVALID_STATUS)
        case .headerName, .headerValue, .contentLength, .conflictingContentLengths, .contentLengthNotAllowed:
            Int32(SSGI_E_INVALID_HEADER)
        case .hopByHop: Int32(SSGI_E_HOP_BY_HOP)
        }
    }

    public var description: String {
        switch self {
        case .status(let status): "the status must be \"NNN Reason\", not '\(status)' (§7.1)"
        case .headerName(let name): "header name '\(name)' is not a token (§7.2)"
        case .headerValue(let name): "the value of header '\(name)' holds a control character (§7.2)"
        case .contentLength(let value): "Content-Length '\(value)' is not a number (§7.2)"
        case .conflictingContentLengths: "Content-Length fields with different values (§7.2)"
        case .contentLengthNotAllowed(let status): "a \(status) response must not have a Content-Length (§7.2)"
        case .hopByHop(let name): "hop-by-hop headers belong to the server, and '\(name)' is one (§7.3)"
        }
    }
}

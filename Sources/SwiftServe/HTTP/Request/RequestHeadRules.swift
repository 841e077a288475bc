import NIOHTTP1
import SSGI

/// What a request must say for the server to frame and route it unambiguously, beyond what the
/// parser checks: a request that breaks a rule is answered by the server, never seen by the
/// application, and its connection is closed (docs/SPEC.md §14.1).
///
/// SwiftNIO's parser (llhttp, strict settings) already refuses bare LF line endings, obsolete line
/// folding, control characters in field values, whitespace before a colon, invalid field names,
/// malformed chunk lines, several Content-Length fields, a Content-Length that is not digits, and
/// Content-Length with Transfer-Encoding. The framing rules are checked here again all the same,
/// so that a parser update that loosens one cannot open a request-smuggling hole unnoticed; the
/// rest are the ones the parser does not check.
enum RequestHeadRules {
    /// The refusal for `head`, or nil when it may be served.
    static func refusal(of head: HTTPRequestHead) -> RequestRefusal? {
        var hostCount = 0
        var host: String?
        var contentLengthCount = 0
        var contentLength: String?
        var codings = TransferCodings()
        for (name, value) in head.headers {
            switch name.utf8.count {
            case 4 where ASCII.equalsIgnoringCase(name.utf8, "host"):
                hostCount += 1
                host = value
            case 14 where ASCII.equalsIgnoringCase(name.utf8, "content-length"):
                contentLengthCount += 1
                contentLength = value
            case 17 where ASCII.equalsIgnoringCase(name.utf8, "transfer-encoding"):
                codings.add(value)
            default:
                break
            }
        }

        // Framing: one way to find where the body ends, or none at all (RFC 9112 §6).
        let verdict = codings.verdict
        if verdict != .none {
            if contentLengthCount > 0 { return .contentLengthWithTransferEncoding }
            // RFC 9112 §6.1: chunked is an HTTP/1.1 framing; a 1.0 request that claims it is faulty.
            if head.version.minor == 0 { return .transferEncodingInHTTP10 }
            switch verdict {
            case .malformed: return .malformedTransferEncoding
            case .unknownCoding: return .unknownTransferCoding
            case .none, .chunked: break
            }
        }
        if contentLengthCount > 1 { return .severalContentLengths }
        if let contentLength, !Self.isContentLength(contentLength) { return .invalidContentLength }

        // Routing: one authority, well formed (RFC 9112 §3.2).
        if hostCount > 1 { return .severalHosts }
        if hostCount == 0, head.version.minor >= 1 { return .missingHost }
        if let host, !Self.isHost(host) { return .invalidHost }
        // RFC 9112 §3.2.4: the asterisk form is only for a server-wide OPTIONS.
        if head.uri == "*", head.method != .OPTIONS { return .asteriskTargetWithoutOptions }
        // RFC 9112 §3.2: a fragment belongs to the client; in a request target it is a mistake or a trick.
        if head.uri.utf8.contains(UInt8(ascii: "#")) { return .fragmentInTarget }
        return nil
    }

    /// The refusal for the trailer fields of a chunked body, or nil when they are acceptable.
    ///
    /// Trailers are not handed to the application, but a field that frames or routes a request
    /// has no business after its body: a proxy that merges trailers into the head would see a
    /// different request from the one the server served (RFC 9110 §6.5.1).
    static func refusal(ofTrailers trailers: HTTPHeaders) -> RequestRefusal? {
        for (name, _) in trailers {
            switch name.utf8.count {
            case 4 where ASCII.equalsIgnoringCase(name.utf8, "host"),
                14 where ASCII.equalsIgnoringCase(name.utf8, "content-length"),
                17 where ASCII.equalsIgnoringCase(name.utf8, "transfer-encoding"):
                return .framingFieldInTrailers
            default:
                break
            }
        }
        return nil
    }

    /// `1*DIGIT`, small enough for a 64-bit length. Surrounding whitespace is not part of a field value.
    static func isContentLength(_ value: String) -> Bool {
        let bytes = value.utf8.span
        var digits = 0
        var sawTrailingWhitespace = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                if digits > 0 { sawTrailingWhitespace = true }
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), !sawTrailingWhitespace {
                digits += 1
            } else {
                return false
            }
        }
        return digits > 0 && digits <= 18
    }

    /// RFC 9112 §3.2 `Host = uri-host [ ":" port ]`, with RFC 3986's `IP-literal`, `IPv4address`
    /// and `reg-name` for the host; empty is allowed (a request target without an authority).
    /// Surrounding whitespace is not part of a field value.
    ///
    /// One pass over the bytes: Host is in every request.
    static func isHost(_ value: String) -> Bool {
        /// Where in `host[:port]` the byte being read falls.
        enum Part {
            case leadingWhitespace, regName, ipLiteral, afterIPLiteral, port, trailingWhitespace
        }
        let bytes = value.utf8.span
        var part = Part.leadingWhitespace
        var literalLength = 0
        var portDigits = 0
        var port = 0
        for index in bytes.indices {
            let byte = bytes[index]
            let isWhitespace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            switch part {
            case .leadingWhitespace:
                if isWhitespace { continue }
                if byte == UInt8(ascii: "[") {
                    part = .ipLiteral
                } else if byte == UInt8(ascii: ":") {
                    part = .port
                } else if Self.isRegNameByte(byte) {
                    part = .regName
                } else {
                    return false
                }
            case .regName:
                if byte == UInt8(ascii: ":") {
                    part = .port
                } else if isWhitespace {
                    part = .trailingWhitespace
                } else if !Self.isRegNameByte(byte) {
                    return false
                }
            case .ipLiteral:
                if byte == UInt8(ascii: "]") {
                    guard literalLength > 0 else { return false }
                    part = .afterIPLiteral
                } else if Self.isIPLiteralByte(byte) {
                    literalLength += 1
                } else {
                    return false
                }
            case .afterIPLiteral:
                if byte == UInt8(ascii: ":") {
                    part = .port
                } else if isWhitespace {
                    part = .trailingWhitespace
                } else {
                    return false
                }
            case .port:
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    portDigits += 1
                    guard portDigits <= 5 else { return false }
                    port = port * 10 + Int(byte - UInt8(ascii: "0"))
                } else if isWhitespace {
                    part = .trailingWhitespace
                } else {
                    return false
                }
            case .trailingWhitespace:
                guard isWhitespace else { return false }
            }
        }
        return part != .ipLiteral && port <= 65535
    }

    /// RFC 3986 `unreserved / pct-encoded / sub-delims`.
    private static func isRegNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }

    /// What an IPv6 address (or an `IPvFuture`) between brackets is made of.
    private static func isIPLiteralByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: ":"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}

extension RequestRefusal {
    static let contentLengthWithTransferEncoding = RequestRefusal(
        .badRequest, "Content-Length together with Transfer-Encoding")
    static let transferEncodingInHTTP10 = RequestRefusal(.badRequest, "Transfer-Encoding in an HTTP/1.0 request")
    static let malformedTransferEncoding = RequestRefusal(
        .badRequest, "a Transfer-Encoding list where chunked is not last, repeated, has parameters, or is malformed")
    static let unknownTransferCoding = RequestRefusal(
        .notImplemented, "a transfer coding other than chunked, which is the only one the server decodes")
    static let severalContentLengths = RequestRefusal(.badRequest, "more than one Content-Length")
    static let invalidContentLength = RequestRefusal(.badRequest, "a Content-Length that is not plain digits")
    static let severalHosts = RequestRefusal(.badRequest, "more than one Host")
    static let missingHost = RequestRefusal(.badRequest, "an HTTP/1.1 request without Host")
    static let invalidHost = RequestRefusal(.badRequest, "a Host that is not host[:port]")
    static let asteriskTargetWithoutOptions = RequestRefusal(
        .badRequest, "the request target * on a method other than OPTIONS")
    static let fragmentInTarget = RequestRefusal(.badRequest, "a request target with a fragment (#)")
    static let framingFieldInTrailers = RequestRefusal(
        .badRequest, "a trailer field that is Content-Length, Transfer-Encoding or Host")
}

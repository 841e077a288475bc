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
    /// The refusal for `request`, or nil when it may be served.
    static func refusal<Request: RequestDescription>(of request: Request) -> RequestRefusal? {
        var hostCount = 0
        var host: Request.Bytes?
        var contentLengthCount = 0
        var contentLength: Request.Bytes?
        var codings = TransferCodings()
        for index in 0..<request.fieldCount {
            switch request.kind(at: index) {
            case .host:
                hostCount += 1
                host = request.value(at: index)
            case .contentLength:
                contentLengthCount += 1
                contentLength = request.value(at: index)
            case .transferEncoding:
                codings.add(request.value(at: index))
            default:
                break
            }
        }

        // Framing: one way to find where the body ends, or none at all (RFC 9112 §6).
        let verdict = codings.verdict
        if verdict != .none {
            if contentLengthCount > 0 { return .contentLengthWithTransferEncoding }
            // RFC 9112 §6.1: chunked is an HTTP/1.1 framing; a 1.0 request that claims it is faulty.
            if request.isHTTP10 { return .transferEncodingInHTTP10 }
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
        if hostCount == 0, !request.isHTTP10 { return .missingHost }
        if let host, !Self.isHost(host) { return .invalidHost }
        if let refusal = Self.refusal(ofTarget: request.target, method: request.method) { return refusal }
        // RFC 9112 §3.2: a fragment belongs to the client; in a request target it is a mistake or a trick.
        if request.target.contains(UInt8(ascii: "#")) { return .fragmentInTarget }
        return nil
    }

    /// The refusal for a request target in none of the forms RFC 9112 §3.2 allows for its method,
    /// or nil. The parser lets through any target that starts with `/` or `*`, or with a scheme and
    /// `://`; what follows is checked here: origin-form (`/path?query`) for any method but
    /// CONNECT; absolute-form with an `http` or `https` scheme and a `host[:port]` authority
    /// (§3.2.2, RFC 9110 §4.2); authority-form `host:port` for CONNECT, and for CONNECT only
    /// (§3.2.3); asterisk-form, a lone `*`, for OPTIONS only (§3.2.4).
    static func refusal<Target: BidirectionalCollection<UInt8>, Method: Collection<UInt8>>(
        ofTarget target: Target, method: Method
    ) -> RequestRefusal? {
        let first = target.first
        // The origin form, the common case, needs no more than its first byte.
        if first == UInt8(ascii: "/"), !Self.isMethod(method, "CONNECT") { return nil }
        if Self.isMethod(method, "CONNECT") {
            return Self.isAuthorityForm(target) ? nil : .malformedConnectTarget
        }
        if first == UInt8(ascii: "*") {
            guard target.count == 1 else { return .malformedAsteriskTarget }
            return Self.isMethod(method, "OPTIONS") ? nil : .asteriskTargetWithoutOptions
        }
        return Self.isAbsoluteForm(target) ? nil : .malformedAbsoluteTarget
    }

    /// Whether `method` is `name`, byte for byte (methods are case-sensitive, RFC 9110 §9.1).
    private static func isMethod<Method: Collection<UInt8>>(_ method: Method, _ name: StaticString) -> Bool {
        let bytes = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return method.elementsEqual(bytes)
    }

    /// `http://` or `https://` (any case), then a `host[:port]` authority with a host, then nothing
    /// or the path and query: `http://example.com`, `HTTPS://[::1]:8443/p?q`. No userinfo (RFC
    /// 9110 §4.2.4), no empty host (§4.2.1).
    static func isAbsoluteForm<Target: Collection<UInt8>>(_ target: Target) -> Bool {
        guard let colon = target.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = target[..<colon]
        guard ASCII.equalsIgnoringCase(scheme, "http") || ASCII.equalsIgnoringCase(scheme, "https"),
            target[colon...].starts(with: "://".utf8)
        else { return false }
        let rest = target[target.index(colon, offsetBy: 3)...]
        let authority = rest.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
        guard let first = authority.first, first != UInt8(ascii: ":") else { return false }
        return Self.isHost(authority)
    }

    /// RFC 9112 §3.2.3 `authority-form = uri-host ":" port`, both present.
    static func isAuthorityForm<Target: BidirectionalCollection<UInt8>>(_ target: Target) -> Bool {
        guard Self.isHost(target), let colon = target.lastIndex(of: UInt8(ascii: ":")) else { return false }
        let port = target[target.index(after: colon)...]
        return colon != target.startIndex && !port.isEmpty
            && port.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The refusal for the trailer fields of a chunked body, named `fields`, or nil when they are
    /// acceptable.
    ///
    /// Trailers are not handed to the application, but a field that frames or routes a request
    /// has no business after its body: a proxy that merges trailers into the head would see a
    /// different request from the one the server served (RFC 9110 §6.5.1).
    static func refusal<Fields: Sequence<FieldName>>(ofTrailers fields: Fields) -> RequestRefusal? {
        for name in fields {
            switch name {
            case .host, .contentLength, .transferEncoding: return .framingFieldInTrailers
            default: break
            }
        }
        return nil
    }

    /// `1*DIGIT`, small enough for a 64-bit length. Surrounding whitespace is not part of a field value.
    static func isContentLength<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        var digits = 0
        var sawTrailingWhitespace = false
        for byte in bytes {
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
    static func isHost<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        if let common = Self.isCommonHost(bytes) { return common }
        var part = HostPart.leadingWhitespace
        var literalLength = 0
        var portDigits = 0
        var port = 0
        for byte in bytes {
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

    /// The common Host, a name or IPv4 address and perhaps a port, checked with one table lookup
    /// a byte; nil when the value has another form (an IPv6 literal, whitespace, no name), which
    /// the full check reads.
    private static func isCommonHost<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool? {
        Self.regNameBytes.withUnsafeBufferPointer { isRegName in
            var index = bytes.startIndex
            var nameLength = 0
            while index < bytes.endIndex, isRegName[Int(bytes[index])] {
                nameLength += 1
                bytes.formIndex(after: &index)
            }
            guard nameLength > 0 else { return nil }
            if index == bytes.endIndex { return true }
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            bytes.formIndex(after: &index)
            var port = 0
            var digits = 0
            while index < bytes.endIndex {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                digits += 1
                guard digits <= 5 else { return false }
                port = port * 10 + Int(byte - UInt8(ascii: "0"))
                bytes.formIndex(after: &index)
            }
            return port <= 65535
        }
    }

    /// `isRegNameByte` for every byte.
    private static let regNameBytes: [Bool] = (0...255).map { Self.isRegNameByte(UInt8($0)) }

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

/// Where in `host[:port]` the byte being read falls (`RequestHeadRules.isHost(_:)`).
private enum HostPart {
    case leadingWhitespace, regName, ipLiteral, afterIPLiteral, port, trailingWhitespace
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
    static let malformedAsteriskTarget = RequestRefusal(
        .badRequest, "a request target that starts with * but is not the lone * of the asterisk form")
    static let malformedAbsoluteTarget = RequestRefusal(
        .badRequest, "an absolute-form request target that is not http or https with a host[:port] authority")
    static let malformedConnectTarget = RequestRefusal(
        .badRequest, "a CONNECT whose request target is not host:port (the authority form)")
    static let fragmentInTarget = RequestRefusal(.badRequest, "a request target with a fragment (#)")
    static let framingFieldInTrailers = RequestRefusal(
        .badRequest, "a trailer field that is Content-Length, Transfer-Encoding or Host")
}

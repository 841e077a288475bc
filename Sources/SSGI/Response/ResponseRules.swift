/// The rules of the specification for what an application sends in `start_response`, as
/// predicates over bytes: the server enforces them and the validator reports them.
public enum ResponseRules {
    /// The status code of a `NNN Reason` status line (three digits from 100 to 999, one space, a
    /// reason without control characters other than tab), or nil when the line breaks the rule.
    @inlinable
    public static func statusCode<Bytes: Collection<UInt8>>(_ status: Bytes) -> Int? {
        var iterator = status.makeIterator()
        var code = 0
        for position in 0..<3 {
            guard let byte = iterator.next(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            guard position > 0 || byte != UInt8(ascii: "0") else { return nil }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard iterator.next() == UInt8(ascii: " ") else { return nil }
        while let byte = iterator.next() {
            guard isFieldValueByte(byte) else { return nil }
        }
        return code
    }

    /// Whether `name` is a header name: a non-empty RFC 9110 token.
    @inlinable
    public static func isHeaderName<Bytes: Collection<UInt8>>(_ name: Bytes) -> Bool {
        !name.isEmpty && name.allSatisfy(isTokenByte)
    }

    /// Whether `value` is a header value: no control characters other than horizontal tab.
    @inlinable
    public static func isHeaderValue<Bytes: Collection<UInt8>>(_ value: Bytes) -> Bool {
        value.allSatisfy(isFieldValueByte)
    }

    /// Whether `name` is a hop-by-hop header, which belongs to the server (PEP 3333's list).
    @inlinable
    public static func isHopByHop<Bytes: Collection<UInt8>>(_ name: Bytes) -> Bool {
        // By length first: most names are none of these, and are told so without comparing a byte.
        switch name.count {
        case 2: return ASCII.equalsIgnoringCase(name, "te")
        case 7: return ASCII.equalsIgnoringCase(name, "trailer") || ASCII.equalsIgnoringCase(name, "upgrade")
        case 8: return ASCII.equalsIgnoringCase(name, "trailers")
        case 10: return ASCII.equalsIgnoringCase(name, "connection") || ASCII.equalsIgnoringCase(name, "keep-alive")
        case 17: return ASCII.equalsIgnoringCase(name, "transfer-encoding")
        case 18: return ASCII.equalsIgnoringCase(name, "proxy-authenticate")
        case 19: return ASCII.equalsIgnoringCase(name, "proxy-authorization")
        default: return false
        }
    }

    /// Whether a response with this status may carry a body (RFC 9110: not 1xx, 204 or 304).
    @inlinable
    public static func allowsBody(status: Int) -> Bool {
        !(100..<200).contains(status) && status != 204 && status != 304
    }

    /// Whether `name` equals `lowercaseName` without regard to ASCII case.
    @available(*, deprecated, renamed: "ASCII.equalsIgnoringCase(_:_:)")
    @inlinable
    public static func name<Bytes: Collection<UInt8>>(_ name: Bytes, is lowercaseName: StaticString) -> Bool {
        ASCII.equalsIgnoringCase(name, lowercaseName)
    }

    /// RFC 9110 `tchar`.
    @inlinable
    public static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// A field value byte: anything but a control character other than horizontal tab.
    @inlinable
    public static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
    }
}

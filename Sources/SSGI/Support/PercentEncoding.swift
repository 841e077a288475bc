/// Percent-encoding and `application/x-www-form-urlencoded`, as URLs, query strings and forms use them.
public enum PercentEncoding {
    /// Decodes `%XX` escapes (and `+` as a space when `plusAsSpace`); a `%` not followed by two hex
    /// digits stays as it is, and invalid UTF-8 is repaired with U+FFFD.
    public static func decode(_ text: Substring, plusAsSpace: Bool) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        return String(decoding: Self.decodedBytes(text.utf8, plusAsSpace: plusAsSpace), as: UTF8.self)
    }

    /// Decodes `%XX` escapes (and `+` as a space when `plusAsSpace`) into bytes, which need not be
    /// UTF-8; a `%` not followed by two hex digits stays as it is. The server decodes `PATH_INFO`
    /// with it, the frameworks their query strings and forms.
    public static func decodedBytes<Bytes: Collection<UInt8>>(_ text: Bytes, plusAsSpace: Bool = false) -> [UInt8] {
        let bytes = Array(text)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return decoded
    }

    /// Encodes every byte of `text`'s UTF-8 that `isAllowed` rejects as `%XX`.
    public static func encode(_ text: String, allowing isAllowed: (UInt8) -> Bool) -> String {
        guard !text.utf8.allSatisfy(isAllowed) else { return text }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isAllowed(byte) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hexDigits[Int(byte >> 4)])
                encoded.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Parses `a=1&b=2&a=3` into pairs in order; empty parts are skipped, a part without `=` has an
    /// empty value.
    public static func parseForm(_ text: Substring) -> MultiDict {
        var form = MultiDict()
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = part.firstIndex(of: "=") {
                form.add(
                    decode(part[..<equals], plusAsSpace: true),
                    decode(part[part.index(after: equals)...], plusAsSpace: true))
            } else {
                form.add(decode(part, plusAsSpace: true), "")
            }
        }
        return form
    }

    /// Writes pairs as a query string, `a=1&b=x+y`.
    public static func encodeForm(_ form: MultiDict) -> String {
        form.map { encodeFormComponent($0.key) + "=" + encodeFormComponent($0.value) }.joined(separator: "&")
    }

    /// Encodes one path segment: `/` and anything outside RFC 3986 `pchar` is escaped.
    public static func encodePathSegment(_ text: String) -> String {
        encode(text) { isUnreserved($0) || isSubDelimiter($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "@") }
    }

    /// Encodes a path that may span segments: like `encodePathSegment`, but `/` stays.
    public static func encodePath(_ text: String) -> String {
        encode(text) {
            isUnreserved($0) || isSubDelimiter($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "@")
                || $0 == UInt8(ascii: "/")
        }
    }

    /// Encodes a URL fragment (the part after `#`).
    public static func encodeFragment(_ text: String) -> String {
        encode(text) {
            isUnreserved($0) || isSubDelimiter($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "@")
                || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?")
        }
    }

    private static func encodeFormComponent(_ text: String) -> String {
        let encoded = encode(text) { isUnreserved($0) || $0 == UInt8(ascii: " ") }
        return encoded.contains(" ") ? String(encoded.map { $0 == " " ? "+" : $0 }) : encoded
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func isSubDelimiter(_ byte: UInt8) -> Bool {
        "!$&'()*+,;=".utf8.contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}

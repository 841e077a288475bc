/// Reads the Cookie request header and writes the parts of Set-Cookie response headers.
public enum CookieCoding {
    /// The cookies of a Cookie header, `a=1; b="x"`: quotes are removed and percent-escapes
    /// decoded; the first of several cookies with one name wins (the browser sends the most
    /// specific first).
    public static func parse(_ header: String) -> [String: String] {
        var cookies: [String: String] = [:]
        for pair in header.split(separator: ";") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = pair[..<equals].trimmingSpaces
            guard !name.isEmpty, cookies[String(name)] == nil else { continue }
            var value = pair[pair.index(after: equals)...].trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = value.dropFirst().dropLast()
            }
            cookies[String(name)] = PercentEncoding.decode(value, plusAsSpace: false)
        }
        return cookies
    }

    /// A cookie name: bytes outside an RFC 9110 token are percent-encoded.
    public static func encodeName(_ name: String) -> String {
        PercentEncoding.encode(name) { byte in
            byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?={}%".utf8.contains(byte)
        }
    }

    /// A cookie value: bytes outside RFC 6265 `cookie-octet`, and `%`, are percent-encoded.
    public static func encodeValue(_ value: String) -> String {
        PercentEncoding.encode(value) { byte in
            byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: ",")
                && byte != UInt8(ascii: ";") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "%")
        }
    }

    /// A Path or Domain attribute: control characters, `;` and non-ASCII bytes are percent-encoded.
    public static func encodeAttribute(_ value: String) -> String {
        PercentEncoding.encode(value) { byte in byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: ";") }
    }
}

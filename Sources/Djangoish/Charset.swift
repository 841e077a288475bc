/// A character encoding for response content: `DEFAULT_CHARSET`, or the charset a Content-Type names.
public enum Charset: String, Sendable, CaseIterable {
    /// UTF-8, the default.
    case utf8 = "utf-8"
    /// ISO-8859-1 (Latin-1): characters beyond it are written as `?`.
    case isoLatin1 = "iso-8859-1"
    /// US-ASCII: characters beyond it are written as `?`.
    case ascii = "us-ascii"

    /// The charset a Content-Type value names in its `charset` parameter, if it is one of these.
    init?(contentType: String) {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased().filter({ $0 != " " }) == "charset" else { continue }
            let name = pair[1].lowercased().filter { $0 != " " && $0 != "\"" }
            switch name {
            case "utf-8", "utf8": self = .utf8
            case "iso-8859-1", "latin-1", "latin1": self = .isoLatin1
            case "us-ascii", "ascii": self = .ascii
            default: return nil
            }
            return
        }
        return nil
    }

    /// `text` in this encoding.
    public func encode(_ text: String) -> [UInt8] {
        let highest: UInt32
        switch self {
        case .utf8: return Array(text.utf8)
        case .isoLatin1: highest = 0xFF
        case .ascii: highest = 0x7F
        }
        return text.unicodeScalars.map { $0.value <= highest ? UInt8($0.value) : UInt8(ascii: "?") }
    }

    /// `bytes` decoded from this encoding; invalid UTF-8 is repaired with U+FFFD.
    public func decode(_ bytes: [UInt8]) -> String {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .isoLatin1, .ascii:
            var text = ""
            text.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
            return text
        }
    }
}

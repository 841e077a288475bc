/// The classes of bytes the request parser tells apart, as bits of one 256-entry table: one load
/// classifies a byte for every rule that asks about it.
///
/// Each class is llhttp's (`src/llhttp/constants.ts`), the parser the request parser is held to.
struct ByteClass: OptionSet {
    let rawValue: UInt8

    /// RFC 9110 `tchar`: header names, methods, chunk extension names (llhttp's `TOKEN`).
    static let token = ByteClass(rawValue: 1 << 0)
    /// What a field value may hold: tab, visible ASCII, space, and obs-text (llhttp's `HEADER_CHARS`).
    static let fieldValue = ByteClass(rawValue: 1 << 1)
    /// A field value byte other than `,`: the inside of a list element (`CONNECTION_TOKEN_CHARS`).
    static let listElement = ByteClass(rawValue: 1 << 2)
    /// What a request target's path, query and fragment may hold, `?` and `#` aside (`URL_CHAR`).
    static let target = ByteClass(rawValue: 1 << 3)
    /// What an authority may hold in an absolute-form target: `USERINFO_CHARS`, `[` and `]`.
    static let authority = ByteClass(rawValue: 1 << 4)
    /// A hexadecimal digit.
    static let hexDigit = ByteClass(rawValue: 1 << 5)
    /// What a quoted string may hold unescaped: tab, space, and 0x21-0xFF but `"` and `\`.
    static let quoted = ByteClass(rawValue: 1 << 6)
    /// What may follow `\` in a quoted string: tab, space, visible ASCII, obs-text.
    static let quotedPair = ByteClass(rawValue: 1 << 7)

    /// The class of every byte.
    static let table: [ByteClass] = (0...255).map { value in
        let byte = UInt8(value)
        var classes: ByteClass = []
        let isAlpha = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        let isDigit = (0x30...0x39).contains(byte)
        if isAlpha || isDigit || "!#$%&'*+-.^_`|~".utf8.contains(byte) { classes.insert(.token) }
        if byte == 0x09 || (byte >= 0x20 && byte != 0x7F) {
            classes.insert(.fieldValue)
            if byte != UInt8(ascii: ",") { classes.insert(.listElement) }
        }
        if isAlpha || isDigit || "!\"$%&'()*+,-./:;<=>@[\\]^_`{|}~".utf8.contains(byte) { classes.insert(.target) }
        if isAlpha || isDigit || "-_.!~*'()%;:&=+$,[]".utf8.contains(byte) { classes.insert(.authority) }
        if isDigit || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte) { classes.insert(.hexDigit) }
        if byte == 0x09 || byte == 0x20 || (byte >= 0x21 && byte != 0x22 && byte != 0x5C) { classes.insert(.quoted) }
        if byte == 0x09 || byte == 0x20 || (0x21...0x7E).contains(byte) || byte >= 0x80 { classes.insert(.quotedPair) }
        return classes
    }

    /// Whether the byte is an ASCII letter (llhttp's `ALPHA`).
    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// The value of a hexadecimal digit.
    static func hexValue(_ byte: UInt8) -> UInt64 {
        byte <= UInt8(ascii: "9") ? UInt64(byte - UInt8(ascii: "0")) : UInt64((byte | 0x20) - UInt8(ascii: "a") + 10)
    }
}

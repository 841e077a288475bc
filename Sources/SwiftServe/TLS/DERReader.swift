/// Reads DER's tag-length-value elements (X.690) one after another: enough to walk an X.509
/// certificate to its subject.
struct DERReader {
    /// One element: its tag, its contents, and its whole encoding (tag and length included).
    struct Element {
        var tag: UInt8
        var contents: ArraySlice<UInt8>
        var encoded: ArraySlice<UInt8>
    }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { self.bytes.isEmpty }

    /// The next element when its tag is `tag`; nil, reading nothing, otherwise.
    mutating func read(tag: UInt8) -> Element? {
        guard self.bytes.first == tag else { return nil }
        return self.readAny()
    }

    /// The next element, or nil when the bytes do not hold a whole one. Lengths of up to four
    /// bytes; no high tag numbers, which a certificate's name does not use.
    mutating func readAny() -> Element? {
        let start = self.bytes.startIndex
        guard self.bytes.count >= 2, self.bytes[start] & 0x1F != 0x1F else { return nil }
        var index = start + 1
        let first = self.bytes[index]
        index += 1
        var length = Int(first)
        if first >= 0x80 {
            let count = Int(first & 0x7F)
            guard (1...4).contains(count), self.bytes.endIndex - index >= count else { return nil }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(self.bytes[index])
                index += 1
            }
        }
        guard self.bytes.endIndex - index >= length else { return nil }
        let end = index + length
        let element = Element(
            tag: self.bytes[start], contents: self.bytes[index..<end], encoded: self.bytes[start..<end])
        self.bytes = self.bytes[end...]
        return element
    }
}

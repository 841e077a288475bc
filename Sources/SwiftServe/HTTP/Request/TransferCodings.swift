import SSGI

/// The transfer codings a request lists in its Transfer-Encoding fields, read one field value at a
/// time without allocating, and what they mean for framing (RFC 9112 §6.1, §6.3).
struct TransferCodings {
    /// What the list says about the body.
    enum Verdict: Equatable {
        /// No Transfer-Encoding field.
        case none
        /// Exactly one `chunked`, last: the only framing the server decodes.
        case chunked
        /// A list the server cannot frame unambiguously: `chunked` repeated, not last, with
        /// parameters, an empty element, or a malformed one. Answered 400.
        case malformed
        /// `chunked` last, or absent, with some other coding the server does not implement
        /// (`gzip`, `identity`, ...). Answered 501.
        case unknownCoding
    }

    private var fieldCount = 0
    private var elementCount = 0
    private var chunkedCount = 0
    private var lastIsChunked = false
    private var hasUnknownCoding = false
    private var isMalformed = false

    init() {}

    /// Adds the value of one Transfer-Encoding field, in the order received.
    mutating func add<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) {
        self.fieldCount += 1
        var start = bytes.startIndex
        while true {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.endIndex
            self.addElement(bytes[start..<end])
            guard end < bytes.endIndex else { return }
            start = bytes.index(after: end)
        }
    }

    var verdict: Verdict {
        if self.fieldCount == 0 { return .none }
        if self.isMalformed || self.elementCount == 0 || self.chunkedCount > 1 { return .malformed }
        if self.chunkedCount == 1, !self.lastIsChunked { return .malformed }
        if self.hasUnknownCoding { return .unknownCoding }
        return .chunked
    }

    /// One element: `OWS token [ OWS ";" parameters ] OWS`.
    private mutating func addElement<Element: BidirectionalCollection<UInt8>>(_ element: Element) {
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let parameters = element.firstIndex(of: UInt8(ascii: ";"))
        var name = element[..<(parameters ?? element.endIndex)]
        while let first = name.first, isWhitespace(first) { name = name.dropFirst() }
        while let last = name.last, isWhitespace(last) { name = name.dropLast() }
        guard ResponseRules.isHeaderName(name) else {
            // An empty element or one that is not a token: refuse rather than guess. RFC 9110
            // §5.6.1 lets recipients skip empty elements, but a list that two readers see
            // differently is how requests are smuggled.
            self.isMalformed = true
            return
        }
        self.elementCount += 1
        if ASCII.equalsIgnoringCase(name, "chunked") {
            self.chunkedCount += 1
            self.lastIsChunked = true
            // chunked has no parameters (RFC 9112 §7).
            if parameters != nil { self.isMalformed = true }
        } else {
            self.lastIsChunked = false
            self.hasUnknownCoding = true
        }
    }
}

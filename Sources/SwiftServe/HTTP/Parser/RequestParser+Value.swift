import SSGI

extension RequestParser {
    /// Reads a field value from `index` to its CR, in the way its field asks for: llhttp reads
    /// Content-Length as a number, the last coding of Transfer-Encoding, and the tokens of
    /// Connection (`header_value_*` in `src/llhttp/http.ts`). Returns the error, if any.
    mutating func readValue(
        _ bytes: UnsafeRawBufferPointer, at index: inout Int, table: UnsafeBufferPointer<ByteClass>
    ) -> RequestParseError? {
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch self.field.valueMode {
            case .general:
                while index < count, table[Int(bytes[index])].contains(.fieldValue) { index += 1 }
                guard index < count else { return nil }
                return self.endValue(bytes[index], at: &index)
            case .lengthDigits:
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    self.field.valueMode = .lengthSpaces
                    continue
                }
                let (times10, overflow) = self.message.contentLength.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflow, !carry else { return .syntax("content-Length overflow") }
                self.message.contentLength = sum
                index += 1
            case .lengthSpaces:
                if byte == UInt8(ascii: " ") {
                    index += 1
                } else if byte == 13 || byte == 10 {
                    self.message.hasContentLength = true
                    return self.endValue(byte, at: &index)
                } else {
                    return .syntax("invalid character in Content-Length")
                }
            case .codingMatch:
                let chunked: StaticString = "chunked"
                guard byte | 0x20 == chunked.utf8Start[self.field.matchIndex] else {
                    self.field.valueMode = .codingToken
                    continue
                }
                self.field.matchIndex += 1
                index += 1
                if self.field.matchIndex == chunked.utf8CodeUnitCount { self.field.valueMode = .codingLast }
            case .codingLast:
                if byte == UInt8(ascii: " ") {
                    index += 1
                } else if byte == 13 || byte == 10 {
                    self.field.headerState = .transferEncodingChunked
                    return self.endValue(byte, at: &index)
                } else if byte == UInt8(ascii: ",") {
                    // chunked must be the last coding of a request.
                    return .syntax("invalid `Transfer-Encoding` header value")
                } else {
                    self.field.valueMode = .codingToken
                }
            case .codingToken:
                if byte == UInt8(ascii: ",") {
                    self.field.valueMode = .codingSpaces
                    index += 1
                } else if table[Int(byte)].contains(.listElement) {
                    index += 1
                } else {
                    self.field.headerState = .general
                    self.field.valueMode = .general
                }
            case .codingSpaces:
                if byte == UInt8(ascii: " ") || byte == 9 {
                    index += 1
                } else {
                    self.field.matchIndex = 0
                    self.field.valueMode = .codingMatch
                }
            case .connectionStart:
                switch ASCII.lowercased(byte) {
                case UInt8(ascii: " "), 9:
                    index += 1
                    continue
                case UInt8(ascii: "c"): self.field.connectionWord = "close"
                case UInt8(ascii: "u"): self.field.connectionWord = "upgrade"
                case UInt8(ascii: "k"): self.field.connectionWord = "keep-alive"
                default:
                    self.field.valueMode = .connectionToken
                    continue
                }
                self.field.matchIndex = 1
                self.field.valueMode = .connectionMatch
                index += 1
            case .connectionMatch:
                let word = self.field.connectionWord
                guard ASCII.lowercased(byte) == word.utf8Start[self.field.matchIndex] else {
                    self.field.valueMode = .connectionToken
                    continue
                }
                self.field.matchIndex += 1
                index += 1
                if self.field.matchIndex == word.utf8CodeUnitCount {
                    switch word.utf8Start[0] {
                    case UInt8(ascii: "c"): self.field.headerState = .connectionClose
                    case UInt8(ascii: "u"): self.field.headerState = .connectionUpgrade
                    default: self.field.headerState = .connectionKeepAlive
                    }
                    self.field.valueMode = .connectionSpaces
                }
            case .connectionSpaces:
                if byte == UInt8(ascii: ",") {
                    self.setConnectionFlag()
                    self.field.headerState = .connection
                    self.field.valueMode = .connectionStart
                    index += 1
                } else if byte == UInt8(ascii: " ") {
                    index += 1
                } else if byte == 13 || byte == 10 {
                    return self.endValue(byte, at: &index)
                } else {
                    self.field.headerState = .general
                    self.field.valueMode = .connectionToken
                }
            case .connectionToken:
                if byte == UInt8(ascii: ",") {
                    self.field.valueMode = .connectionStart
                    index += 1
                } else if table[Int(byte)].contains(.listElement) {
                    index += 1
                } else {
                    return self.endValue(byte, at: &index)
                }
            }
        }
        return nil
    }

    /// The byte after a value (llhttp's `header_value_otherwise`): its CR, or an error.
    private mutating func endValue(_ byte: UInt8, at index: inout Int) -> RequestParseError? {
        switch byte {
        case 13:
            self.field.valueEnd = index - self.sectionStart
            self.state = .valueLF
            index += 1
            return nil
        case 10:
            return .syntax("missing expected CR after header value")
        default:
            return .syntax("invalid header value char")
        }
    }

    /// The flag of the Connection token just matched, as a `,` ends it.
    private mutating func setConnectionFlag() {
        switch self.field.headerState {
        case .connectionKeepAlive: self.message.connectionKeepAlive = true
        case .connectionClose: self.message.connectionClose = true
        case .connectionUpgrade: self.message.connectionUpgrade = true
        default: break
        }
    }
}

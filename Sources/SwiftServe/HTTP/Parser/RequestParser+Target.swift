extension RequestParser {
    /// Reads the request target from `index`, as llhttp's url parser does (`src/llhttp/url.ts`):
    /// origin form (`/p?q#f`), asterisk form (`*`), absolute form (`scheme://authority/p`), and
    /// the authority of CONNECT. It ends at a space (a version follows) or at the end of the line
    /// (HTTP/0.9, which SwiftNIO refuses once the head is complete). Returns the error, if any.
    mutating func readTarget(
        _ bytes: UnsafeRawBufferPointer, at index: inout Int, table: UnsafeBufferPointer<ByteClass>
    ) -> RequestParseError? {
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            // Every node of llhttp's url parser refuses a tab and a form feed.
            if byte == 9 || byte == 12 { return .syntax("invalid characters in url") }
            switch self.state {
            case .targetStart:
                if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "*") {
                    self.state = .path
                    index += 1
                } else if ByteClass.isAlpha(byte) {
                    self.state = .scheme
                } else {
                    return .syntax("unexpected start char in url")
                }
            case .scheme:
                if ByteClass.isAlpha(byte) {
                    index += 1
                } else if byte == UInt8(ascii: ":") {
                    self.state = .schemeSlash
                    index += 1
                } else {
                    return .syntax("unexpected char in url schema")
                }
            case .schemeSlash, .schemeSlashSlash:
                guard byte == UInt8(ascii: "/") else { return .syntax("unexpected char in url schema") }
                self.state = self.state == .schemeSlash ? .schemeSlashSlash : .authority
                index += 1
            case .authority, .authorityAfterAt:
                if byte == UInt8(ascii: "/") {
                    self.state = .path
                } else if byte == UInt8(ascii: "?") {
                    self.state = .query
                } else if table[Int(byte)].contains(.authority) {
                    self.state = .authority
                } else if byte == UInt8(ascii: "@") {
                    guard self.state == .authority else { return .syntax("double @ in url") }
                    self.state = .authorityAfterAt
                } else {
                    return self.endTarget(byte, at: &index)
                }
                index += 1
            case .path:
                while index < count, table[Int(bytes[index])].contains(.target) { index += 1 }
                guard index < count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "?") {
                    self.state = .query
                    index += 1
                } else if byte == UInt8(ascii: "#") {
                    self.state = .fragment
                    index += 1
                } else if byte == 9 || byte == 12 {
                    return .syntax("invalid characters in url")
                } else {
                    return self.endTarget(byte, at: &index)
                }
            case .query, .fragment:
                while index < count,
                    table[Int(bytes[index])].contains(.target) || bytes[index] == UInt8(ascii: "?")
                        || (self.state == .fragment && bytes[index] == UInt8(ascii: "#"))
                {
                    index += 1
                }
                guard index < count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "#") {
                    self.state = .fragment
                    index += 1
                } else if byte == 9 || byte == 12 {
                    return .syntax("invalid characters in url")
                } else {
                    return self.endTarget(byte, at: &index)
                }
            default:
                return nil
            }
        }
        return nil
    }

    /// The byte after the target: a space before the version, or the end of an HTTP/0.9 line.
    private mutating func endTarget(_ byte: UInt8, at index: inout Int) -> RequestParseError? {
        switch byte {
        case UInt8(ascii: " "):
            self.state = .spacesBeforeProtocol
        case 13:
            self.state = .targetLF
        case 10:
            if let error = self.checkRequestLine(length: index - self.sectionStart) { return error }
            self.startFields(version09: true)
        default:
            return .syntax(self.state == .path ? "Invalid char in url path" : "Unexpected char in url")
        }
        self.head.targetEnd = index - self.sectionStart
        index += 1
        return nil
    }

    /// One byte of the protocol's name: llhttp reads `HTTP`, `RTSP` and `ICE`; the server serves
    /// HTTP only.
    mutating func readProtocol(_ byte: UInt8) -> RequestParseError? {
        if self.field.matchIndex == 0 {
            switch byte {
            case UInt8(ascii: "H"): self.field.protocolWord = "HTTP"
            case UInt8(ascii: "R"): self.field.protocolWord = "RTSP"
            case UInt8(ascii: "I"): self.field.protocolWord = "ICE"
            default: return .syntax("expected HTTP/, RTSP/ or ICE/")
            }
        } else if byte != self.field.protocolWord.utf8Start[self.field.matchIndex] {
            return .syntax("expected HTTP/, RTSP/ or ICE/")
        }
        self.field.matchIndex += 1
        guard self.field.matchIndex == self.field.protocolWord.utf8CodeUnitCount else { return nil }
        guard self.field.protocolWord.utf8CodeUnitCount == 4, self.field.protocolWord.utf8Start[0] == UInt8(ascii: "H")
        else {
            return RequestParseError(.notHTTP, "a request line whose protocol is not HTTP")
        }
        guard case .http = self.field.methodKind else { return .syntax("invalid method for HTTP/x.x request") }
        self.state = .protocolSlash
        return nil
    }

    /// The request line is complete at `length` bytes: within the server's limit, or refused
    /// with 414.
    func checkRequestLine(length: Int) -> RequestParseError? {
        guard length > self.limits.requestLine else { return nil }
        return RequestParseError(.requestLineTooLong, "a request line over \(self.limits.requestLine) bytes")
    }
}

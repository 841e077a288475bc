extension RequestParser {
    /// What llhttp notes of the field being read (`header_state`): which framing or connection
    /// field it is, and which token of a Connection value it last matched.
    enum HeaderState: UInt8 {
        case general, connection, contentLength, transferEncoding, upgrade
        case connectionKeepAlive, connectionClose, connectionUpgrade, transferEncodingChunked
    }

    /// How the value being read is read, by the field it belongs to.
    enum ValueMode: UInt8 {
        case general
        case lengthDigits, lengthSpaces
        case codingMatch, codingLast, codingToken, codingSpaces
        case connectionStart, connectionMatch, connectionSpaces, connectionToken
    }

    /// Reads field lines from `index`: names, values and the blank line that ends the section.
    /// Returns the error, if any.
    mutating func readField(
        _ bytes: UnsafeRawBufferPointer, at index: inout Int, table: UnsafeBufferPointer<ByteClass>
    ) -> RequestParseError? {
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch self.state {
            case .fieldStart:
                switch byte {
                case 13:
                    self.state = .sectionLF
                    index += 1
                    return nil
                case 10:
                    return .syntax("invalid header field char")
                case UInt8(ascii: ":"):
                    return .syntax("invalid header token")
                default:
                    if let error = self.countField() { return error }
                    self.field.nameStart = index - self.sectionStart
                    self.state = .fieldName
                }
            case .fieldName:
                while index < count, table[Int(bytes[index])].contains(.token) { index += 1 }
                guard index < count else { return nil }
                guard bytes[index] == UInt8(ascii: ":") else { return .syntax("invalid header token") }
                self.field.nameEnd = index - self.sectionStart
                let name = UnsafeRawBufferPointer(
                    rebasing: bytes[self.sectionStart + self.field.nameStart..<self.sectionStart + self.field.nameEnd])
                if let error = self.nameComplete(FieldName(name)) { return error }
                index += 1
                self.field.spacesStart = index - self.sectionStart
                self.state = .valueSpaces
            case .valueSpaces:
                if byte == UInt8(ascii: " ") || byte == 9 {
                    index += 1
                } else if byte == 13 {
                    self.state = .valueSpacesCR
                    index += 1
                } else if byte == 10 {
                    return .syntax("invalid header value char")
                } else {
                    if let error = self.checkSpaces(upTo: index) { return error }
                    self.field.valueStart = index - self.sectionStart
                    if let error = self.startValue() { return error }
                    self.state = .value
                }
            case .valueSpacesCR:
                guard byte == 10 else { return .syntax("expected LF after CR") }
                self.state = .valueSpacesLF
                index += 1
            case .valueSpacesLF:
                // The line ended before a value: an empty value, unless the next line folds it.
                guard byte != UInt8(ascii: " "), byte != 9 else { return .syntax("invalid header value char") }
                guard self.field.headerState != .contentLength else {
                    return RequestParseError(.syntax, "empty Content-Length")
                }
                let end = index - 2 - self.sectionStart
                self.field.valueStart = end
                if let error = self.valueComplete(end: end) { return error }
                self.state = .fieldStart
            case .value:
                if let error = self.readValue(bytes, at: &index, table: table) { return error }
            case .valueLF:
                guard byte == 10 else { return .syntax("missing expected LF after header value") }
                self.state = .valueNext
                index += 1
            case .valueNext:
                // llhttp refuses obsolete line folding.
                guard byte != UInt8(ascii: " "), byte != 9 else {
                    return .syntax("unexpected whitespace after header value")
                }
                if let error = self.valueComplete(end: self.field.valueEnd) { return error }
                self.state = .fieldStart
            default:
                return nil
            }
        }
        return nil
    }

    /// Counts a field as its name starts, within the server's limit for the head and SwiftNIO's
    /// for the trailers.
    private mutating func countField() -> RequestParseError? {
        self.message.parserFieldCount += 1
        if self.message.inTrailers {
            guard self.message.parserFieldCount <= self.limits.parserFieldCount else {
                return RequestParseError(.parserLimits, "more header fields than the parser's limit")
            }
        } else if self.message.parserFieldCount > self.limits.fieldCount {
            return RequestParseError(.tooManyFields, "more than \(self.limits.fieldCount) header fields")
        }
        return nil
    }

    /// The name is read: which field it is decides how its value is read (llhttp's
    /// `on_header_field_complete`), and Content-Length and Transfer-Encoding exclude each other.
    private mutating func nameComplete(_ name: FieldName) -> RequestParseError? {
        self.field.name = name
        let nameLength = self.field.nameEnd - self.field.nameStart
        if let error = self.checkSpan(nameLength, sizeSoFar: nameLength) { return error }
        switch name {
        case .connection, .proxyConnection:
            self.field.headerState = .connection
        case .contentLength:
            if self.message.hasTransferEncoding {
                return .syntax("content-Length can't be present with Transfer-Encoding")
            }
            self.field.headerState = .contentLength
        case .transferEncoding:
            if self.message.hasContentLength {
                return .syntax("transfer-Encoding can't be present with Content-Length")
            }
            self.field.headerState = .transferEncoding
        case .upgrade:
            self.field.headerState = .upgrade
        default:
            self.field.headerState = .general
        }
        return nil
    }

    /// The first byte of a value: llhttp's `header_value_start`.
    private mutating func startValue() -> RequestParseError? {
        switch self.field.headerState {
        case .upgrade:
            self.message.hasUpgradeField = true
            self.field.headerState = .general
            self.field.valueMode = .general
        case .transferEncoding:
            // Once chunked is the coding, no other Transfer-Encoding may follow in a request.
            if self.message.isChunked { return .syntax("invalid `Transfer-Encoding` header value") }
            self.message.hasTransferEncoding = true
            self.message.isChunked = false
            self.field.matchIndex = 0
            self.field.valueMode = .codingMatch
        case .contentLength:
            if self.message.hasContentLength { return .syntax("duplicate Content-Length") }
            self.message.contentLength = 0
            self.field.valueMode = .lengthDigits
        case .connection:
            self.field.valueMode = .connectionStart
        default:
            self.field.valueMode = .general
        }
        return nil
    }

    /// The value ended at `end` (before the CRLF): the flags its tokens set are set (llhttp's
    /// `setHeaderFlags`), and the field is kept.
    private mutating func valueComplete(end: Int) -> RequestParseError? {
        switch self.field.headerState {
        case .connectionKeepAlive: self.message.connectionKeepAlive = true
        case .connectionClose: self.message.connectionClose = true
        case .connectionUpgrade: self.message.connectionUpgrade = true
        case .transferEncodingChunked: self.message.isChunked = true
        default: break
        }
        let nameLength = self.field.nameEnd - self.field.nameStart
        let valueLength = end - self.field.valueStart
        if let error = self.checkSpan(valueLength, sizeSoFar: nameLength + valueLength) { return error }
        self.message.parserListSize += nameLength + valueLength
        let field = RequestHead.Field(
            nameStart: Int32(self.field.nameStart), nameEnd: Int32(self.field.nameEnd),
            valueStart: Int32(self.field.valueStart), valueEnd: Int32(end), name: self.field.name)
        if self.message.inTrailers {
            self.head.trailers.append(field)
            switch self.field.name {
            case .host, .contentLength, .transferEncoding: self.trailersHaveFramingField = true
            default: break
            }
        } else {
            self.head.fields.append(field)
        }
        return nil
    }

    /// A name or value of `length` bytes, in a field of `size` bytes so far: within the server's
    /// limit for the head, within SwiftNIO's for the trailers.
    private func checkSpan(_ length: Int, sizeSoFar size: Int) -> RequestParseError? {
        if self.message.inTrailers {
            guard length <= self.limits.parserFieldSize,
                self.message.parserListSize + length <= self.limits.parserListSize
            else {
                return RequestParseError(.parserLimits, "a trailer field over the parser's limits")
            }
        } else if size > self.limits.fieldSize {
            return RequestParseError(.fieldTooLarge, "a header field over \(self.limits.fieldSize) bytes")
        }
        return nil
    }

    /// The whitespace before a value, up to `index`, within the server's field size limit.
    private func checkSpaces(upTo index: Int) -> RequestParseError? {
        guard index - self.sectionStart - self.field.spacesStart > self.limits.fieldSize else { return nil }
        return RequestParseError(.fieldTooLarge, "whitespace before a field value over \(self.limits.fieldSize) bytes")
    }

    /// The limits, checked on what arrived so far when the bytes run out at `index` (SwiftNIO
    /// checks its own as its parser reports the part of a name or value it has read).
    func checkLimitsSoFar(at index: Int) -> RequestParseError? {
        let position = index - self.sectionStart
        switch self.state {
        case .method, .spacesBeforeTarget, .targetStart, .scheme, .schemeSlash, .schemeSlashSlash, .authority,
            .authorityAfterAt, .path, .query, .fragment, .targetLF, .spacesBeforeProtocol, .protocolName,
            .protocolSlash, .major, .dot, .minor, .requestLineCR:
            return self.checkRequestLine(length: position)
        case .fieldName:
            let length = position - self.field.nameStart
            return self.checkSpan(length, sizeSoFar: length)
        case .valueSpaces:
            return self.checkSpaces(upTo: index)
        case .value:
            let nameLength = self.field.nameEnd - self.field.nameStart
            let valueLength = position - self.field.valueStart
            return self.checkSpan(valueLength, sizeSoFar: nameLength + valueLength)
        default:
            return nil
        }
    }
}

import NIOCore

extension RequestParser {
    /// Where the parser is within the lines of a request: each case is a node of llhttp's
    /// (`src/llhttp/http.ts`, `url.ts`), several merged where llhttp only splits them for speed.
    enum State: UInt8 {
        // The request line.
        case messageStart, method, spacesBeforeTarget
        case targetStart, scheme, schemeSlash, schemeSlashSlash, authority, authorityAfterAt, path, query, fragment
        case targetLF
        case spacesBeforeProtocol, protocolName, protocolSlash, major, dot, minor, requestLineCR, requestLineLF
        case priPreface
        // Field lines, of the head and of the trailers.
        case firstField, fieldStart, fieldName, valueSpaces, valueSpacesCR, valueSpacesLF, value, valueLF, valueNext
        case sectionLF
        // Chunk lines.
        case chunkSizeFirst, chunkSize, chunkExtensions, chunkExtensionName, chunkExtensionValue
        case chunkExtensionQuoted, chunkExtensionQuotedPair, chunkExtensionQuotedDone, chunkSizeLF
        case chunkDataCR, chunkDataLF
        // After a request that does not keep the connection alive.
        case closed
    }

    /// Reads lines from `scan` on, until an event or the end of the bytes.
    mutating func readLines(_ input: inout ByteBuffer) -> Event {
        let (event, consumed) = input.withUnsafeReadableBytes { bytes in
            ByteClass.table.withUnsafeBufferPointer { table in
                self.readLines(bytes, table: table)
            }
        }
        input.moveReaderIndex(forwardBy: consumed)
        // No event: a chunk's data follows its size line.
        return event ?? self.next(&input)
    }

    /// Reads `bytes` from `scan`; returns the event (nil when the mode changed and the caller
    /// should ask again) and how many bytes may be consumed now.
    private mutating func readLines(
        _ bytes: UnsafeRawBufferPointer, table: UnsafeBufferPointer<ByteClass>
    ) -> (Event?, Int) {
        var index = self.scan
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch self.state {
            case .messageStart:
                if byte == 13 || byte == 10 {
                    index += 1
                    continue
                }
                self.startHead(at: index)
                self.state = .method
            case .method:
                // Methods are short tokens: read to the space, then look the word up.
                var end = index
                while end < count, bytes[end] != UInt8(ascii: " "), end - self.sectionStart <= RequestMethods.longest {
                    end += 1
                }
                let method = UnsafeRawBufferPointer(rebasing: bytes[self.sectionStart..<end])
                guard end < count else {
                    if RequestMethods.isPrefix(method) {
                        index = end
                        continue
                    }
                    return (self.fail(.syntax("invalid method encountered")), 0)
                }
                guard bytes[end] == UInt8(ascii: " "), let kind = RequestMethods.kind(of: method) else {
                    return (self.fail(.syntax("invalid method encountered")), 0)
                }
                self.field.methodKind = kind
                if case .http(let named) = kind { self.head.method = named }
                self.message.isConnect = kind == .http(.connect)
                self.head.methodLength = end - self.sectionStart
                index = end + 1
                self.state = .spacesBeforeTarget
            case .spacesBeforeTarget:
                if byte == UInt8(ascii: " ") {
                    index += 1
                    continue
                }
                self.head.targetStart = index - self.sectionStart
                // CONNECT's target is an authority (`host:port`); any other starts as llhttp's url.
                self.state = self.message.isConnect ? .authority : .targetStart
            case .targetStart, .scheme, .schemeSlash, .schemeSlashSlash, .authority, .authorityAfterAt, .path, .query,
                .fragment:
                if let error = self.readTarget(bytes, at: &index, table: table) {
                    return (self.fail(error), 0)
                }
            case .targetLF:
                // `skip_lf_to_http09` after a CR: an HTTP/0.9 request line ends in CRLF.
                guard byte == 10 else { return (self.fail(.syntax("expected CRLF")), 0) }
                index += 1
                self.startFields(version09: true)
            case .spacesBeforeProtocol:
                if byte == UInt8(ascii: " ") {
                    index += 1
                    continue
                }
                self.field.matchIndex = 0
                self.state = .protocolName
            case .protocolName:
                if let error = self.readProtocol(byte) { return (self.fail(error), 0) }
                index += 1
            case .protocolSlash:
                guard byte == UInt8(ascii: "/") else {
                    return (self.fail(.syntax("expected HTTP/, RTSP/ or ICE/")), 0)
                }
                index += 1
                self.state = .major
            case .major:
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    return (self.fail(.syntax("invalid major version")), 0)
                }
                self.head.versionMajor = Int(byte - UInt8(ascii: "0"))
                index += 1
                self.state = .dot
            case .dot:
                guard byte == UInt8(ascii: ".") else { return (self.fail(.syntax("expected dot")), 0) }
                index += 1
                self.state = .minor
            case .minor:
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    return (self.fail(.syntax("invalid minor version")), 0)
                }
                let minor = Int(byte - UInt8(ascii: "0"))
                self.head.versionMinor = minor
                // llhttp knows 0.9, 1.0, 1.1 and 2.0.
                switch (self.head.versionMajor, minor) {
                case (0, 9), (1, 0), (1, 1), (2, 0): break
                default: return (self.fail(.syntax("invalid HTTP version")), 0)
                }
                index += 1
                if self.head.method == .pri {
                    self.field.matchIndex = 0
                    self.state = .priPreface
                } else {
                    self.state = .requestLineCR
                }
            case .requestLineCR:
                guard byte == 13 else { return (self.fail(.syntax("expected CRLF after version")), 0) }
                if let error = self.checkRequestLine(length: index - self.sectionStart) {
                    return (self.fail(error), 0)
                }
                index += 1
                self.state = .requestLineLF
            case .requestLineLF:
                guard byte == 10 else { return (self.fail(.syntax("expected CRLF after version")), 0) }
                index += 1
                self.startFields(version09: false)
            case .priPreface:
                // llhttp stops at the HTTP/2 preface, and refuses anything else after PRI.
                let preface: StaticString = "\r\n\r\nSM\r\n\r\n"
                guard byte == preface.utf8Start[self.field.matchIndex] else {
                    return (self.fail(.syntax("expected HTTP/2 Connection Preface")), 0)
                }
                self.field.matchIndex += 1
                index += 1
                if self.field.matchIndex == preface.utf8CodeUnitCount {
                    return (self.fail(.syntax("pause on PRI/Upgrade")), 0)
                }
            case .firstField:
                guard byte != UInt8(ascii: " ") else {
                    return (self.fail(.syntax("unexpected space after start line")), 0)
                }
                self.state = .fieldStart
            case .fieldStart, .fieldName, .valueSpaces, .valueSpacesCR, .valueSpacesLF, .value, .valueLF, .valueNext:
                if let error = self.readField(bytes, at: &index, table: table) {
                    return (self.fail(error), 0)
                }
            case .sectionLF:
                guard byte == 10 else { return (self.fail(.syntax("expected LF after headers")), 0) }
                index += 1
                self.scan = 0
                let sectionStart = self.sectionStart
                if self.message.inTrailers {
                    // The trailers stay readable until the next event, as a head does.
                    self.head.trailersLength = index - sectionStart
                    self.pendingConsume = index - sectionStart
                    self.sectionStart = 0
                    return (self.endMessage(), sectionStart)
                }
                return (self.completeHead(length: index - sectionStart), sectionStart)
            case .chunkSizeFirst, .chunkSize, .chunkExtensions, .chunkExtensionName, .chunkExtensionValue,
                .chunkExtensionQuoted, .chunkExtensionQuotedPair, .chunkExtensionQuotedDone, .chunkSizeLF, .chunkDataCR,
                .chunkDataLF:
                switch self.readChunkLine(byte, table: table) {
                case .next:
                    index += 1
                case .data:
                    index += 1
                    self.scan = 0
                    self.mode = .chunkData(self.chunkSize)
                    return (nil, index)
                case .trailers:
                    index += 1
                    self.message.inTrailers = true
                    self.head.trailers.removeAll(keepingCapacity: true)
                    self.sectionStart = index
                    self.state = .fieldStart
                case .again:
                    break
                case .error(let error):
                    return (self.fail(error), 0)
                }
            case .closed:
                // llhttp reads empty lines after a request that closes the connection, and
                // refuses anything else.
                guard byte == 13 || byte == 10 else {
                    return (self.fail(.syntax("data after `Connection: close`")), 0)
                }
                index += 1
            }
        }
        return self.endOfBytes(at: index)
    }

    /// The bytes ran out at `index`: the limits are checked on what arrived, and what can be
    /// consumed is.
    private mutating func endOfBytes(at index: Int) -> (Event?, Int) {
        if let error = self.checkLimitsSoFar(at: index) {
            return (self.fail(error), 0)
        }
        if self.isInSection {
            // The head stays where it is until it is complete; only empty lines before it go.
            let consumed = self.sectionStart
            self.scan = index - consumed
            self.sectionStart = 0
            return (.needMoreBytes, consumed)
        }
        self.scan = 0
        return (.needMoreBytes, index)
    }

    /// Whether the parser is inside a request head or trailer section, whose bytes it keeps.
    var isInSection: Bool {
        switch self.state {
        case .messageStart, .closed: false
        case .chunkSizeFirst, .chunkSize, .chunkExtensions, .chunkExtensionName, .chunkExtensionValue,
            .chunkExtensionQuoted, .chunkExtensionQuotedPair, .chunkExtensionQuotedDone, .chunkSizeLF, .chunkDataCR,
            .chunkDataLF:
            false
        default: true
        }
    }

    /// A request begins at `index`: everything before it was empty lines.
    private mutating func startHead(at index: Int) {
        self.sectionStart = index
        self.head.fields.removeAll(keepingCapacity: true)
        self.head.trailers.removeAll(keepingCapacity: true)
        self.head.trailersLength = 0
        self.head.versionMajor = 1
        self.head.versionMinor = 1
        self.head.method = .any
        self.trailersHaveFramingField = false
        self.message = MessageState()
    }

    /// The request line ended: HTTP/0.9 (no version) or HTTP/x.y; the fields follow.
    mutating func startFields(version09: Bool) {
        if version09 {
            self.head.versionMajor = 0
            self.head.versionMinor = 9
            self.state = .fieldStart
        } else {
            self.state = .firstField
        }
    }
}

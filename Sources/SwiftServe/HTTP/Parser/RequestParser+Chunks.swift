extension RequestParser {
    /// What a byte of a chunk line leads to.
    enum ChunkStep {
        /// The byte is read; on to the next.
        case next
        /// The state changed; the same byte is read again.
        case again
        /// The size line of a chunk with data ended at this byte.
        case data
        /// The size line of the last chunk ended at this byte: trailer fields follow.
        case trailers
        case error(RequestParseError)
    }

    /// Reads one byte of a chunk line: the size in hex, extensions (read, checked and dropped),
    /// and the CRLF after a chunk's data, as llhttp's `chunk_*` nodes do.
    mutating func readChunkLine(_ byte: UInt8, table: UnsafeBufferPointer<ByteClass>) -> ChunkStep {
        let classes = table[Int(byte)]
        switch self.state {
        case .chunkSizeFirst:
            guard classes.contains(.hexDigit) else { return .error(.syntax("invalid character in chunk size")) }
            self.chunkSize = ByteClass.hexValue(byte)
            self.state = .chunkSize
        case .chunkSize:
            if classes.contains(.hexDigit) {
                guard self.chunkSize >> 60 == 0 else { return .error(.syntax("chunk size overflow")) }
                self.chunkSize = self.chunkSize << 4 | ByteClass.hexValue(byte)
            } else if byte == 13 {
                self.state = .chunkSizeLF
            } else if byte == UInt8(ascii: ";") {
                self.state = .chunkExtensions
            } else if byte == 10 {
                return .error(.syntax("missing expected CR after chunk size"))
            } else {
                return .error(.syntax("invalid character in chunk size"))
            }
        case .chunkExtensions:
            guard byte != UInt8(ascii: " "), byte != 13 else {
                return .error(.syntax("invalid character in chunk extensions"))
            }
            self.state = .chunkExtensionName
            return .again
        case .chunkExtensionName, .chunkExtensionValue:
            if classes.contains(.token) {
                break
            } else if byte == UInt8(ascii: "=") && self.state == .chunkExtensionName {
                self.state = .chunkExtensionValue
            } else if byte == UInt8(ascii: "\"") && self.state == .chunkExtensionValue {
                self.state = .chunkExtensionQuoted
            } else {
                return self.endChunkExtension(byte)
            }
        case .chunkExtensionQuoted:
            if byte == UInt8(ascii: "\"") {
                self.state = .chunkExtensionQuotedDone
            } else if byte == UInt8(ascii: "\\") {
                self.state = .chunkExtensionQuotedPair
            } else if !classes.contains(.quoted) {
                return .error(.syntax("invalid character in chunk extensions quoted value"))
            }
        case .chunkExtensionQuotedPair:
            guard classes.contains(.quotedPair) else {
                return .error(.syntax("invalid quoted-pair in chunk extensions quoted value"))
            }
            self.state = .chunkExtensionQuoted
        case .chunkExtensionQuotedDone:
            return self.endChunkExtension(byte)
        case .chunkSizeLF:
            guard byte == 10 else { return .error(.syntax("expected LF after chunk size")) }
            return self.chunkSize == 0 ? .trailers : .data
        case .chunkDataCR:
            guard byte == 13 else {
                return .error(
                    .syntax(byte == 10 ? "missing expected CR after chunk data" : "expected LF after chunk data"))
            }
            self.state = .chunkDataLF
        case .chunkDataLF:
            guard byte == 10 else { return .error(.syntax("expected LF after chunk data")) }
            self.state = .chunkSizeFirst
        default:
            break
        }
        return .next
    }

    /// The byte after an extension's name or value: another extension, or the end of the line.
    private mutating func endChunkExtension(_ byte: UInt8) -> ChunkStep {
        switch byte {
        case UInt8(ascii: ";"):
            self.state = .chunkExtensions
            return .next
        case 13:
            self.state = .chunkSizeLF
            return .next
        case 10:
            return .error(.syntax("missing expected CR after chunk extension"))
        default:
            return .error(.syntax("invalid character in chunk extensions"))
        }
    }

    /// The head ended after `length` bytes: what llhttp decides once the fields are read
    /// (`llhttp__before_headers_complete`, SwiftNIO's `didFinishHead`,
    /// `llhttp__after_headers_complete`), and the head goes to the caller.
    mutating func completeHead(length: Int) -> Event {
        self.head.length = length
        // SwiftNIO serves HTTP/1.x only; llhttp also reads 0.9 and 2.0.
        guard self.head.versionMajor == 1 else { return self.fail(.syntax("invalid HTTP version")) }
        let isUpgrade = (self.message.hasUpgradeField && self.message.connectionUpgrade) || self.message.isConnect
        self.message.isUpgrade = isUpgrade
        self.head.isUpgrade = isUpgrade
        self.head.keepAlive = self.message.keepAlive(major: self.head.versionMajor, minor: self.head.versionMinor)
        self.message.parserListSize += self.head.targetEnd - self.head.targetStart
        let hasBody = self.message.isChunked || self.message.contentLength > 0
        if isUpgrade && (self.message.isConnect || !hasBody) {
            self.head.framing = .none
            self.mode = .endPending
        } else if self.message.isChunked {
            self.head.framing = .chunked
            self.state = .chunkSizeFirst
        } else if self.message.hasTransferEncoding {
            // A request whose last coding is not chunked has no length llhttp could find; it
            // refuses it once the head is out, as SwiftNIO's parser does.
            self.head.framing = .none
            self.mode = .errorPending(.syntax("request has invalid `Transfer-Encoding`"))
        } else if self.message.hasContentLength && self.message.contentLength > 0 {
            self.head.framing = .length(self.message.contentLength)
            self.mode = .identityBody(self.message.contentLength)
        } else {
            self.head.framing = .none
            self.mode = .endPending
        }
        self.pendingConsume = length
        self.sectionStart = 0
        self.scan = 0
        return .head
    }
}

/// What the parser notes of the line it reads.
struct FieldState {
    /// The method of the request line, until its protocol is read.
    var methodKind = RequestMethods.Kind.other
    /// The protocol word being matched (`HTTP`, `RTSP`, `ICE`) or the Connection token.
    var protocolWord: StaticString = "HTTP"
    var connectionWord: StaticString = "close"
    /// How much of a word has matched so far.
    var matchIndex = 0
    var name = FieldName.other
    var headerState = RequestParser.HeaderState.general
    var valueMode = RequestParser.ValueMode.general
    /// Offsets from the section's first byte.
    var nameStart = 0
    var nameEnd = 0
    var spacesStart = 0
    var valueStart = 0
    var valueEnd = 0
}

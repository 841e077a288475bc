import NIOCore

/// swiftserve's HTTP/1.1 request parser: the bytes a client sends in, and out one event at a
/// time, a request head, body bytes, the end of a request, or the reason to refuse it.
///
/// It reads requests exactly as llhttp 9 does (SwiftNIO's parser, strict: no lenient flags), the
/// maintained and fuzzed parser it stands in for on the hot path, and the fuzzer holds it to that:
/// `Fuzz/` feeds every input to both and any disagreement is a finding, except a refusal under
/// one of the server's own stricter rules (`RequestParseError.isServerRule`, docs/SPEC.md §14.1).
/// What it adds to llhttp: the server's limits are applied while the head arrives (so that a
/// head never takes more memory than they allow), and the fields the server treats apart
/// (`FieldName`) are told as their names are read, so that nothing walks the fields again to
/// find them.
///
/// The caller keeps the bytes in one buffer, `input`, appends what arrives to it, and asks for
/// the next event; the parser moves `input`'s reader index past what it has consumed. A head's
/// bytes are consumed only at the event after `.head`, so they can be read in place until then
/// (`RequestHead.withBytes(in:_:)`); body bytes come as slices of `input`, without a copy.
/// Nothing is parsed beyond the end of a request until the caller asks: pipelined requests wait
/// in `input` until the connection is ready for them.
public struct RequestParser {
    /// What the parser found next.
    public enum Event: Sendable {
        /// Everything in the buffer is read; more bytes are needed.
        case needMoreBytes
        /// A request head is complete: `head` describes it, its bytes at `input`'s reader index.
        case head
        /// Body bytes of the current request, a slice of `input`.
        case body(ByteBuffer)
        /// The current request is complete: its body (and trailers) ended.
        case end
        /// The bytes break a rule: the request is refused, and the parser reads nothing more.
        case error(RequestParseError)
    }

    /// The head of the current request, valid from `.head` to its `.end`.
    public internal(set) var head = RequestHead()
    /// Whether the trailers of the request that just ended have a field that frames or routes a
    /// request (Host, Content-Length, Transfer-Encoding), which the server refuses (§14.1).
    public internal(set) var trailersHaveFramingField = false

    let limits: Limits
    var mode = Mode.lines
    var state = State.messageStart
    /// Where reading resumes, from `input`'s reader index.
    var scan = 0
    /// How far the current head starts from `input`'s reader index (after empty lines before it).
    var sectionStart = 0
    /// Bytes to consume when the next event is asked for: the head just handed over.
    var pendingConsume = 0
    var message = MessageState()
    var field = FieldState()
    var chunkSize: UInt64 = 0

    /// What the parser is doing at the moment.
    enum Mode: Equatable {
        /// Reading lines: the request line, field lines, chunk lines.
        case lines
        /// Handing over a Content-Length body; this many bytes remain.
        case identityBody(UInt64)
        /// Handing over a chunk's data; this many bytes remain.
        case chunkData(UInt64)
        /// The request ended without a body (or its last line was just read): `.end` is next.
        case endPending
        /// The head was handed over and is invalid all the same (llhttp's check after
        /// `on_headers_complete`): the error is next.
        case errorPending(RequestParseError)
        /// After a request that does not keep the connection alive: only empty lines may follow.
        case closed
        /// After a request that changes protocols: nothing more is HTTP/1.1.
        case stopped
        /// After an error.
        case failed(RequestParseError)
    }

    /// The limits the parser applies.
    struct Limits {
        var requestLine: Int
        var fieldCount: Int
        var fieldSize: Int
        /// SwiftNIO's parser limits, applied to trailer fields (the server's own are tighter for
        /// the head).
        var parserFieldSize: Int
        var parserFieldCount: Int
        var parserListSize: Int
    }

    public init(limits: RequestLimits) {
        let parser = limits.decoderLimits
        self.limits = Limits(
            requestLine: limits.requestLine, fieldCount: limits.headerFields, fieldSize: limits.headerFieldSize,
            parserFieldSize: parser.maxHeaderFieldSize, parserFieldCount: parser.maxHeaderFieldCount,
            parserListSize: parser.maxHeaderListSize)
    }

    /// The next event for the bytes in `input`.
    public mutating func next(_ input: inout ByteBuffer) -> Event {
        if self.pendingConsume > 0 {
            input.moveReaderIndex(forwardBy: self.pendingConsume)
            self.pendingConsume = 0
        }
        switch self.mode {
        case .lines:
            return self.readLines(&input)
        case .identityBody(let remaining):
            guard let slice = Self.slice(of: &input, upTo: remaining) else { return .needMoreBytes }
            let left = remaining - UInt64(slice.readableBytes)
            self.mode = left == 0 ? .endPending : .identityBody(left)
            return .body(slice)
        case .chunkData(let remaining):
            guard let slice = Self.slice(of: &input, upTo: remaining) else { return .needMoreBytes }
            let left = remaining - UInt64(slice.readableBytes)
            if left == 0 {
                self.mode = .lines
                self.state = .chunkDataCR
            } else {
                self.mode = .chunkData(left)
            }
            return .body(slice)
        case .endPending:
            return self.endMessage()
        case .errorPending(let error):
            return self.fail(error)
        case .closed:
            return self.readLines(&input)
        case .stopped:
            input.moveReaderIndex(forwardBy: input.readableBytes)
            return .needMoreBytes
        case .failed(let error):
            return .error(error)
        }
    }

    /// Whether `input` holds bytes beyond what the parser handed over and will consume next: the
    /// start of a pipelined request.
    public func hasUnreadBytes(in input: ByteBuffer) -> Bool {
        input.readableBytes > self.pendingConsume
    }

    /// Up to `limit` bytes of `input`, or nil when it has none.
    private static func slice(of input: inout ByteBuffer, upTo limit: UInt64) -> ByteBuffer? {
        guard input.readableBytes > 0 else { return nil }
        let length = limit < UInt64(input.readableBytes) ? Int(limit) : input.readableBytes
        return input.readSlice(length: length)
    }

    mutating func fail(_ error: RequestParseError) -> Event {
        self.mode = .failed(error)
        return .error(error)
    }

    /// The request is complete: llhttp's `on_message_complete`, then what comes next on the
    /// connection (`llhttp__after_message_complete`).
    mutating func endMessage() -> Event {
        if self.message.isUpgrade {
            self.mode = .stopped
        } else if self.message.keepAlive(major: self.head.versionMajor, minor: self.head.versionMinor) {
            self.mode = .lines
            self.state = .messageStart
        } else {
            self.mode = .closed
            self.state = .closed
        }
        self.message.resetFlags()
        return .end
    }
}

/// What llhttp notes about the request being read: its framing and connection flags.
struct MessageState {
    var contentLength: UInt64 = 0
    var hasContentLength = false
    var hasTransferEncoding = false
    var isChunked = false
    var connectionClose = false
    var connectionKeepAlive = false
    var connectionUpgrade = false
    var hasUpgradeField = false
    var isUpgrade = false
    var isConnect = false
    /// Header fields so far, trailers included (SwiftNIO's count).
    var parserFieldCount = 0
    /// Bytes of the target, names and values so far, trailers included (SwiftNIO's total).
    var parserListSize = 0
    var inTrailers = false

    /// `llhttp_should_keep_alive`: HTTP/1.1 unless Connection: close, earlier versions only with
    /// Connection: keep-alive. (A request never needs the end of the connection to end its body.)
    func keepAlive(major: Int, minor: Int) -> Bool {
        major > 0 && minor > 0 ? !self.connectionClose : self.connectionKeepAlive
    }

    /// llhttp clears its flags after every message, and its Content-Length.
    mutating func resetFlags() {
        self = MessageState()
    }
}

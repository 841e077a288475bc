import NIOCore

/// One HTTP/1.1 response as it goes out: the head the application gave, the framing chosen for
/// it, and its body bytes, framed. It is the model of Gunicorn's `http/wsgi.py` `Response`
/// (`is_chunked`, `default_headers`, `send_headers`, `write`), as a value: the connection feeds
/// it the application's operations and writes the buffers it hands back.
///
/// The head is sent with the first body byte (or at the end), so that a one-write body gets an
/// exact Content-Length (§8.2): the first chunk is held back until a second one or the end
/// shows whether more follow. A small response leaves in one buffer, head and body together.
struct HTTP1Response {
    /// The buffers to write for one step of the response, in order.
    struct Output {
        var first: ByteBuffer?
        var second: ByteBuffer?
    }

    /// The request is HEAD: the head is sent as for GET, and no body bytes.
    let isHeadRequest: Bool
    let clientIsHTTP10: Bool
    /// Whether the connection stays open after this response; the response turns it off when its
    /// framing ends with the connection, or it falls short of its length.
    var keepAlive: Bool
    private(set) var head: ResponseHead?
    /// The framing, once the head is committed (nil before).
    private(set) var framing: ResponseFraming?
    /// The first body chunk, held back until it is known whether more follow.
    private var heldBack: ByteBuffer?
    /// Body bytes sent (for the access log, and against a declared length).
    private(set) var bodyBytesSent = 0

    init(isHeadRequest: Bool, clientIsHTTP10: Bool, keepAlive: Bool) {
        self.isHeadRequest = isHeadRequest
        self.clientIsHTTP10 = clientIsHTTP10
        self.keepAlive = keepAlive
    }

    /// Whether a byte of the head went out: `start_response` can no longer replace it.
    var isCommitted: Bool { self.framing != nil }

    /// The status sent, for the access log.
    var statusCode: Int { self.head?.statusCode ?? 0 }

    /// The application's head, until the response is committed.
    mutating func start(_ head: ResponseHead) {
        guard !self.isCommitted else { return }
        self.head = head
    }

    /// A body chunk (not empty) from the application.
    mutating func write(
        _ chunk: UnsafeRawBufferPointer, serverHeaders: inout ServerHeaders, buffers: inout ResponseBuffers
    ) -> Output {
        guard let head = self.head else { return Output() }
        if self.framing == nil {
            if head.contentLength == nil, self.heldBack == nil {
                self.heldBack = buffers.holdBack(chunk)
                return Output()
            }
            var output = self.commit(knownLength: nil, serverHeaders: &serverHeaders, buffers: &buffers)
            if output.second == nil {
                self.appendBody(chunk, to: &output.first!)
            } else {
                self.appendBody(chunk, to: &output.second!)
            }
            return output
        }
        var buffer = buffers.response(capacity: chunk.count + ResponseEncoder.chunkOverhead)
        self.appendBody(chunk, to: &buffer)
        return Output(first: buffer)
    }

    /// The application finished: the last bytes, and whether they complete the response the
    /// application meant to send (a body shorter than its Content-Length does not).
    mutating func finish(serverHeaders: inout ServerHeaders, buffers: inout ResponseBuffers) -> (
        output: Output, complete: Bool
    ) {
        var output: Output
        if self.framing == nil {
            output = self.commit(
                knownLength: self.heldBack?.readableBytes ?? 0, serverHeaders: &serverHeaders, buffers: &buffers)
        } else {
            output = Output()
        }
        let framing = self.framing!
        // A chunk sent apart from the head has raw framing, which has no end marker.
        if !self.isHeadRequest, framing == .chunked {
            if output.first == nil { output.first = buffers.allocator.buffer(capacity: 5) }
            ResponseEncoder.writeEnd(framing: framing, into: &output.first!)
        }
        var complete = true
        if case .length(let declared) = framing, self.bodyBytesSent < declared, !self.isHeadRequest {
            self.keepAlive = false
            complete = false
        }
        if framing == .closeDelimited { self.keepAlive = false }
        return (output, complete)
    }

    /// The declared length and what was sent of it, when the body fell short.
    var shortfall: (declared: Int, sent: Int)? {
        guard case .length(let declared) = self.framing, self.bodyBytesSent < declared, !self.isHeadRequest else {
            return nil
        }
        return (declared, self.bodyBytesSent)
    }

    /// Decides the framing and lays out the head, the held-back chunk behind it in the same
    /// buffer when it is small, in a second one when it is large.
    private mutating func commit(
        knownLength: Int?, serverHeaders: inout ServerHeaders, buffers: inout ResponseBuffers
    ) -> Output {
        let head = self.head!
        let framing = ResponseFraming(for: head, knownLength: knownLength, clientIsHTTP10: self.clientIsHTTP10)
        self.framing = framing
        if framing == .closeDelimited { self.keepAlive = false }
        serverHeaders.refresh()
        let heldBytes = self.heldBack?.readableBytes ?? 0
        // A large first chunk is not copied behind the head: it follows it in a buffer of its
        // own, and the two leave in one gathering write at the flush.
        let sendsHeldApart = heldBytes > ResponseBuffers.spareCapacity && !self.isHeadRequest && framing.isRaw
        var buffer = buffers.response(
            capacity: head.bytes.count + serverHeaders.lines.count + ResponseEncoder.headOverhead
                + (sendsHeldApart ? 0 : heldBytes) + ResponseEncoder.chunkOverhead)
        let addContentLength: Int? = head.contentLength == nil && framing != .none ? knownLength : nil
        ResponseEncoder.writeHead(
            head, framing: framing, addContentLength: addContentLength, keepAlive: self.keepAlive,
            clientIsHTTP10: self.clientIsHTTP10, serverHeaders: serverHeaders, into: &buffer)
        // Taken out of `heldBack`, the chunk's buffer has one reference and is reused as it is.
        guard var chunk = self.heldBack.take() else { return Output(first: buffer) }
        if sendsHeldApart {
            self.bodyBytesSent += heldBytes
            return Output(first: buffer, second: chunk)
        }
        chunk.withUnsafeReadableBytes { self.appendBody($0, to: &buffer) }
        buffers.recycleChunk(&chunk)
        return Output(first: buffer)
    }

    private mutating func appendBody(_ chunk: UnsafeRawBufferPointer, to buffer: inout ByteBuffer) {
        guard !self.isHeadRequest, let framing = self.framing else { return }
        self.bodyBytesSent += framing == .none ? 0 : chunk.count
        ResponseEncoder.writeBody(chunk, framing: framing, into: &buffer)
    }
}

/// The buffers a connection keeps for their memory: the one the last write went out from (once the
/// channel has written it out, this is its only reference and the next write reuses its memory,
/// so that a streamed body is copied into the same buffer chunk after chunk), and one for holding
/// back a small first chunk. Between responses only small ones are kept.
struct ResponseBuffers {
    let allocator: ByteBufferAllocator
    private var spareResponse = ByteBuffer()
    private var spareChunk = ByteBuffer()

    /// The largest buffer kept between responses.
    static let spareCapacity = 4096
    /// The largest buffer kept from one write of a response to the next.
    static let streamingCapacity = 128 * 1024

    init(allocator: ByteBufferAllocator) {
        self.allocator = allocator
    }

    /// An empty buffer of at least `capacity` bytes, the spare one when it is free.
    mutating func response(capacity: Int) -> ByteBuffer {
        var buffer = self.spareResponse
        self.spareResponse = ByteBuffer()
        if buffer.capacity == 0 {
            return self.allocator.buffer(capacity: max(1024, capacity))
        }
        buffer.clear(minimumCapacity: capacity)
        return buffer
    }

    /// Keeps a buffer just handed to the channel for the next write.
    mutating func recycle(_ buffer: ByteBuffer) {
        if buffer.capacity <= Self.streamingCapacity { self.spareResponse = buffer }
    }

    /// A response ended: a large spare goes, so that an idle connection holds little memory.
    mutating func trim() {
        if self.spareResponse.capacity > Self.spareCapacity { self.spareResponse = ByteBuffer() }
    }

    /// A copy of a first body chunk, in the spare chunk buffer when it fits.
    mutating func holdBack(_ chunk: UnsafeRawBufferPointer) -> ByteBuffer {
        guard chunk.count <= Self.spareCapacity else { return self.allocator.buffer(bytes: chunk) }
        var buffer = self.spareChunk
        self.spareChunk = ByteBuffer()
        if buffer.capacity == 0 { buffer = self.allocator.buffer(capacity: max(1024, chunk.count)) }
        buffer.writeBytes(chunk)
        return buffer
    }

    /// Takes back a held chunk once it is copied out.
    mutating func recycleChunk(_ chunk: inout ByteBuffer) {
        guard chunk.capacity <= Self.spareCapacity else { return }
        chunk.clear()
        self.spareChunk = chunk
    }
}

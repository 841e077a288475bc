import CSSGI
import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2
import SSGI

/// The response side of the stream: its frames (HEADERS, DATA, RST_STREAM) through the connection,
/// the server's own answers, and the call core's events (`CallFrontEnd`) that become them.
extension HTTP2Stream {
    /// Writes a frame of this stream, sent with the next `flush()`.
    func send(_ payload: HTTP2Frame.FramePayload, promise: EventLoopPromise<Void>? = nil) {
        self.connection.write(payload, on: self.id, promise: promise)
    }

    func flush() {
        self.connection.flush()
    }

    /// The head as HTTP/2 fields: `:status`, the application's fields with lower-case names, and
    /// `date` and `server` when the application gave none.
    func headerFields(_ head: ResponseHead) -> HPACKHeaders {
        var fields = HPACKHeaders()
        fields.reserveCapacity(8)
        fields.add(name: ":status", value: String(head.statusCode))
        Self.addLines(head.headerLines, to: &fields)
        self.shared.serverHeaders.refresh()
        self.shared.serverHeaders.withLines(date: !head.hasDate, server: !head.hasServer) { lines in
            Self.addLines(lines, to: &fields)
        }
        return fields
    }

    /// Adds `Name: value\r\n` lines as fields.
    static func addLines<Lines: Collection<UInt8>>(_ lines: Lines, to fields: inout HPACKHeaders)
    where Lines.Index == Int {
        var start = lines.startIndex
        while start < lines.endIndex {
            guard let colon = lines[start...].firstIndex(of: UInt8(ascii: ":")),
                let end = lines[colon...].firstIndex(of: UInt8(ascii: "\r"))
            else { return }
            let name = String(decoding: lines[start..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: lines[(colon + 2)..<end], as: UTF8.self)
            fields.add(name: name, value: value)
            start = end + 2
        }
    }

    func sendHead(endStream: Bool) {
        guard let head = self.head, !self.headSent else { return }
        self.headSent = true
        self.endSent = endStream
        self.statusCode = head.statusCode
        let fields = self.headerFields(head)
        self.server.trace?.response(fields)
        self.send(.headers(.init(headers: fields, endStream: endStream)))
    }

    func sendData(_ buffer: ByteBuffer, endStream: Bool, promise: EventLoopPromise<Void>? = nil) {
        self.bodyBytesSent += buffer.readableBytes
        self.endSent = endStream
        self.send(.data(.init(data: .byteBuffer(buffer), endStream: endStream)), promise: promise)
    }

    /// Writes body bytes that count as unsent until they reach the socket: while the application
    /// writes more, the bytes the client's window holds back hold back its writes.
    func sendBodyChunk(_ buffer: ByteBuffer) {
        guard let promise = self.connection.makePromise() else { return }
        let count = buffer.readableBytes
        self.unsentBytes += count
        self.sendData(buffer, endStream: false, promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in self.chunkSent(count) }
    }

    func chunkSent(_ count: Int) {
        self.unsentBytes -= count
        guard self.isBlocked, self.unsentBytes <= Self.sendLowWatermark else { return }
        self.isBlocked = false
        self.blockedSince = nil
        self.core.writable()
    }

    /// Answers with a response of the server's own, and ends the stream.
    func sendError(_ status: HTTPStatus) {
        self.state = .done
        var fields = HPACKHeaders()
        fields.add(name: ":status", value: String(status.code))
        fields.add(name: "content-type", value: "text/plain; charset=utf-8")
        let body = "\(status.code) \(status.reasonPhrase)\n"
        fields.add(name: "content-length", value: String(body.utf8.count))
        self.shared.serverHeaders.refresh()
        self.shared.serverHeaders.withLines(date: true, server: true) { Self.addLines($0, to: &fields) }
        let headOnly = self.isHeadRequest
        self.server.trace?.response(fields)
        self.send(.headers(.init(headers: fields, endStream: headOnly)))
        if !headOnly {
            self.send(.data(.init(data: .byteBuffer(self.connection.allocator.buffer(string: body)), endStream: true)))
        }
        self.flush()
        self.recordAccess(status: status.code, bytes: headOnly ? 0 : body.utf8.count)
    }

    /// Logs and counts a response of the application's (or the 500 that stands for it).
    func recordAccess(status: Int, bytes: Int) {
        if let request = self.countedRequest.take() {
            self.counters?.answered(method: request.method, status: status, since: request.start)
        }
        guard let accessLog = self.server.accessLog else { return }
        accessLog.record(
            AccessLogEntry(
                remote: self.core.remoteAddr, commonLogDate: self.shared.serverHeaders.commonLog(),
                requestLine: self.core.requestLine, status: status, bytes: bytes, fields: self.logFields.take()))
    }
}

extension HTTP2Stream: CallFrontEnd {
    func responseStarted(_ head: ResponseHead) {
        guard !self.headSent else { return }
        var head = head
        if let id = self.requestId { head.addRequestId(id) }
        self.head = head
    }

    func responseBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard case .calling = self.state, let head = self.head else { return true }
        guard !self.isHeadRequest, head.allowsBody else {
            self.sendHead(endStream: true)
            self.flush()
            return true
        }
        let chunk = self.connection.allocator.buffer(bytes: bytes)
        if !self.headSent, self.heldChunk == nil {
            self.heldChunk = chunk
            return true
        }
        self.sendHead(endStream: false)
        if let held = self.heldChunk.take() { self.sendBodyChunk(held) }
        self.sendBodyChunk(chunk)
        self.flush()
        guard self.unsentBytes < Self.sendHighWatermark else {
            self.isBlocked = true
            self.blockedSince = self.blockedSince ?? .now()
            self.armTick()
            return false
        }
        return true
    }

    func responseFinished(failed: Bool, cleanup: CleanupCallback?) {
        guard case .calling = self.state else {
            self.core.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            return
        }
        if !failed, self.head == nil {
            self.server.logger.error("application finished \(self.core.requestLine) without calling start_response")
        }
        guard !failed, self.head != nil else {
            if !self.headSent {
                self.heldChunk = nil
                self.sendError(.internalServerError)
            } else {
                self.server.logger.error(
                    "application failed after the response to \(self.core.requestLine) started: resetting the stream")
                self.state = .done
                self.send(.rstStream(.internalError))
                self.flush()
                self.recordAccess(status: self.statusCode, bytes: self.bodyBytesSent)
            }
            self.core.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            return
        }
        self.state = .done
        if let declared = self.head?.contentLength, !self.isHeadRequest, self.head?.allowsBody == true,
            self.bodyBytesSent + (self.heldChunk?.readableBytes ?? 0) < declared
        {
            // A declared length is a promise (SPEC §8.2): the stream is reset rather than ended short.
            let sent = self.bodyBytesSent + (self.heldChunk?.readableBytes ?? 0)
            self.server.logger.error(
                "application sent \(sent) of the \(declared) body bytes it declared for \(self.core.requestLine): resetting the stream"
            )
            self.sendHead(endStream: false)
            if let held = self.heldChunk.take() { self.sendData(held, endStream: false) }
            self.send(.rstStream(.internalError))
            self.flush()
            self.recordAccess(status: self.statusCode, bytes: self.bodyBytesSent)
            self.core.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            return
        }
        // The request is released (its cleanup run, the stop no longer waiting for it) once its
        // last bytes reached the socket, or at once when there is no cleanup to tell.
        let promise = cleanup.flatMap { _ in self.connection.makePromise() }
        if let promise {
            let core = self.core
            promise.futureResult.whenComplete { result in
                switch result {
                case .success: core.release(cleanup, status: Int32(SSGI_OK))
                case .failure: core.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
                }
            }
        } else {
            self.core.release(nil, status: Int32(SSGI_OK))
        }
        if let held = self.heldChunk.take() {
            self.sendHead(endStream: false)
            self.sendData(held, endStream: true, promise: promise)
        } else if !self.headSent {
            self.sendHead(endStream: true)
            promise?.succeed()
        } else if !self.endSent {
            self.sendData(self.connection.allocator.buffer(capacity: 0), endStream: true, promise: promise)
        } else {
            promise?.succeed()
        }
        if !self.requestBodyEnded {
            // The application answered without reading the whole body: the client may stop sending (§8.1).
            self.send(.rstStream(.noError))
        }
        self.flush()
        self.recordAccess(status: self.statusCode, bytes: self.bodyBytesSent)
        if let head = self.head { self.core.recycle(head) }
    }

    func bodyWanted() {
        if self.expectsContinue, !self.headSent {
            self.expectsContinue = false
            var fields = HPACKHeaders()
            fields.add(name: ":status", value: "100")
            self.send(.headers(.init(headers: fields)))
            self.flush()
        }
        self.releaseHeldBody()
    }

    func bodyTaken() {
        self.releaseHeldBody()
    }
}

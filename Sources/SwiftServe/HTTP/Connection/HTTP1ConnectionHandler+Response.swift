import CSSGI
import NIOCore
import SSGI

/// The response side of the connection: the call core's events (`CallFrontEnd`) become framed
/// bytes (`HTTP1Response`) on the channel, and the server's own answers and closes.
extension HTTP1ConnectionHandler: CallFrontEnd {
    func responseStarted(_ head: ResponseHead) {
        guard let id = self.requestId else {
            self.response?.start(head)
            return
        }
        var head = head
        head.addRequestId(id)
        self.response?.start(head)
    }

    func responseBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard case .active = self.machine.state, let context = self.context, var response = self.response.take() else {
            return true
        }
        // Taken out of `self.response` and put back, so that its buffers stay uniquely referenced.
        let wasCommitted = response.isCommitted
        if !wasCommitted { response.keepAlive = self.responseKeepAlive }
        let output = response.write(bytes, serverHeaders: &self.serverHeaders, buffers: &self.buffers)
        if !wasCommitted, response.isCommitted {
            self.machine.responseCommitted()
            if let head = output.first { self.server.trace?.response(head) }
        }
        self.response = response
        self.write(output, promise: nil)
        self.flush()
        return context.channel.isWritable
    }

    func responseFinished(failed: Bool, cleanup: CleanupCallback?) {
        guard case .active = self.machine.state, let context = self.context, var response = self.response.take() else {
            self.core.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            return
        }
        if !failed, response.head == nil {
            self.logger.error("application finished \(self.core.requestLine) without calling start_response")
        }
        guard !failed, response.head != nil else {
            self.finishFailed(response, cleanup: cleanup)
            return
        }
        let wasCommitted = response.isCommitted
        if !wasCommitted { response.keepAlive = self.responseKeepAlive }
        let (output, complete) = response.finish(serverHeaders: &self.serverHeaders, buffers: &self.buffers)
        if !wasCommitted, let head = output.first { self.server.trace?.response(head) }
        if let (declared, sent) = response.shortfall {
            self.logger.error(
                "application sent \(sent) of the \(declared) body bytes it declared for \(self.core.requestLine): closing the connection"
            )
        }
        self.response = response
        self.writeLast(output, complete: complete, cleanup: cleanup, context: context)
        self.recordAccess(status: response.statusCode, bytes: response.bodyBytesSent)
        self.perform(self.machine.responseFinished(keepAlive: response.keepAlive, now: context.eventLoop.now))
    }

    func bodyWanted() {
        if self.machine.bodyWanted(), let context = self.context {
            var buffer = context.channel.allocator.buffer(capacity: 25)
            buffer.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
            self.counters?.sent(buffer.readableBytes)
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        }
        self.resumeBody()
    }

    func bodyTaken() {
        self.resumeBody()
    }

    /// The application failed: a generic 500 if nothing was sent, else the connection is cut (§9.2).
    private func finishFailed(_ response: HTTP1Response, cleanup: CleanupCallback?) {
        guard let context = self.context else { return }
        if !response.isCommitted {
            self.logger.error(
                "application failed before the response to \(self.core.requestLine) started: answered 500")
            var buffer = context.channel.allocator.buffer(capacity: 256)
            let bodyBytes = ResponseEncoder.writeErrorResponse(
                .internalServerError, toHead: response.isHeadRequest, date: self.serverHeaders.imfFixdate(),
                serverSoftware: self.server.configuration.serverSoftware, into: &buffer)
            self.server.trace?.response(buffer)
            self.writeLast(HTTP1Response.Output(first: buffer), complete: false, cleanup: cleanup, context: context)
            self.recordAccess(status: HTTPStatus.internalServerError.code, bytes: bodyBytes)
        } else {
            self.logger.error(
                "application failed after the response to \(self.core.requestLine) started: closing the connection")
            self.recordAccess(status: response.statusCode, bytes: response.bodyBytesSent)
            self.core.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
        }
        self.response = nil
        self.perform(self.machine.responseFinished(keepAlive: false, now: context.eventLoop.now))
    }

    /// Writes the last bytes of a response; `cleanup` is told whether they complete the response
    /// the application meant to send once they reached the socket.
    private func writeLast(
        _ output: HTTP1Response.Output, complete: Bool, cleanup: CleanupCallback?, context: ChannelHandlerContext
    ) {
        guard let cleanup else {
            // Nothing waits for the bytes to reach the socket: a response whose bytes all went out
            // with its writes costs no write at its end.
            self.write(output, promise: nil)
            self.flush()
            self.core.release(nil, status: Int32(SSGI_OK))
            return
        }
        var output = output
        let last = output.second ?? output.first ?? ByteBuffer()
        if output.second != nil {
            output.second = nil
        } else {
            output.first = nil
        }
        self.write(output, promise: nil)
        self.counters?.sent(last.readableBytes)
        let promise = context.eventLoop.makePromise(of: Void.self)
        let core = self.core!
        promise.futureResult.whenComplete { result in
            switch result {
            case .success: core.release(cleanup, status: complete ? Int32(SSGI_OK) : Int32(SSGI_E_DISCONNECTED))
            case .failure: core.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            }
        }
        context.write(self.wrapOutboundOut(last), promise: promise)
        self.buffers.recycle(last)
        self.flush()
    }

    /// Writes the buffers of one step of a response, in order.
    private func write(_ output: HTTP1Response.Output, promise: EventLoopPromise<Void>?) {
        guard let context = self.context else { return }
        if let first = output.first {
            self.counters?.sent(first.readableBytes)
            context.write(self.wrapOutboundOut(first), promise: nil)
            self.buffers.recycle(first)
        }
        if let second = output.second {
            self.counters?.sent(second.readableBytes)
            context.write(self.wrapOutboundOut(second), promise: nil)
        }
    }

    /// Flushes now, or at the end of the batch of reads this runs in: pipelined requests leave
    /// in one `writev`.
    func flush() {
        if self.inReadLoop {
            self.needsFlush = true
        } else {
            self.context?.flush()
        }
    }

    // MARK: The server's own answers

    /// Answers with a response of the server's own and closes the connection.
    func sendError(_ status: HTTPStatus, toHead: Bool = false) {
        guard let context = self.context, context.channel.isActive else { return }
        self.machine.close()
        var buffer = context.channel.allocator.buffer(capacity: 256)
        let bodyBytes = ResponseEncoder.writeErrorResponse(
            status, toHead: toHead, date: self.serverHeaders.imfFixdate(),
            serverSoftware: self.server.configuration.serverSoftware, into: &buffer)
        self.server.trace?.response(buffer)
        self.server.accessLog?.record(
            AccessLogEntry(
                remote: self.connection.remoteAddr, commonLogDate: self.serverHeaders.commonLog(), requestLine: "-",
                status: status.code, bytes: bodyBytes, fields: self.logFields.take()))
        // The call in flight, if any, learns that its response will not go out.
        self.core.disconnected()
        if self.countedRequest.take() != nil { self.counters?.requestEnded() }
        self.counters?.sent(buffer.readableBytes)
        context.write(self.wrapOutboundOut(buffer), promise: nil)
        self.close()
    }

    /// Closes after everything written so far has been flushed.
    func close() {
        guard !self.isClosing, let context = self.context, context.channel.isActive else { return }
        self.isClosing = true
        self.machine.close()
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer())).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Logs and counts a response of the application's (or the 500 that stands for it).
    private func recordAccess(status: Int, bytes: Int) {
        if let request = self.countedRequest.take() {
            self.counters?.answered(method: request.method, status: status, since: request.start)
        }
        guard let accessLog = self.server.accessLog else { return }
        accessLog.record(
            AccessLogEntry(
                remote: self.core.remoteAddr, commonLogDate: self.serverHeaders.commonLog(),
                requestLine: self.core.requestLine, status: status, bytes: bytes, fields: self.logFields.take()))
    }
}

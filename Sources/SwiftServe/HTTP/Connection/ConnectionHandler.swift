import CSSGI
import Logging
import NIOCore
import NIOHTTP1
import SSGI

/// Serves the requests of one HTTP/1.1 connection to the application, one at a time and in order.
///
/// The data path reads in one direction: request parts from the parser become an environ handed
/// to the application; the application's operations (delivered on this channel's event loop by
/// `RequestCall`) become response bytes. Invariants:
/// - at most one request is with the application (`current`); parts of pipelined requests that
///   arrive meanwhile wait in `queued`, and the socket is not read while any wait;
/// - request body bytes held for the application stay under `RequestLimits.bodyBuffer`: above it
///   the handler holds back `read()`, which is how back-pressure reaches the client;
/// - every method here runs on the channel's event loop.
final class ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Asks a connection to close once its current response is done (graceful stop).
    struct CloseWhenIdle: Sendable {}

    /// How long a kept-alive connection with no request in progress is left open after a stop
    /// asks it to close. Its client may have sent the next request already: answered (with
    /// `Connection: close`), it goes through; closed under it, it would fail. A connection quiet
    /// this long is closed.
    static let drainQuietPeriod: TimeAmount = .seconds(1)

    private let server: ServerContext
    private let activity: ReadActivity
    private var context: ChannelHandlerContext?
    private var connection = ConnectionInfo(local: nil, remote: nil)
    private var logger: Logger
    private var serverHeaders: ServerHeaders
    /// The C form of the request in flight, refilled for each request.
    private let arena = RequestArena()
    /// A buffer for holding back a small first body chunk, kept between responses for its memory.
    private var spareChunk = ByteBuffer()
    /// The buffer the last small response was written from: once the channel has written it out,
    /// this is its only reference and the next response reuses its memory.
    private var spareResponse = ByteBuffer()

    private var current: InFlightRequest?
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var isProcessingQueue = false
    private var isActive = true
    private var closeRequested = false
    /// The client closed its sending side (a half-close): requests received in full are answered,
    /// and the connection closes after the last one.
    private var inputClosed = false
    private var readHeldBack = false
    /// A refusal found by the parser that waits for the earlier requests on the connection.
    private var pendingRefusal: RequestRefusal?
    private var inReadLoop = false
    private var needsFlush = false
    /// When the request head being waited for is due; nil while no head is awaited.
    private var headDeadline: NIODeadline?
    /// Whether `headDeadline` ends a keep-alive wait, after which a head that has started gets
    /// the header timeout from its first byte.
    private var headDeadlineIsKeepAlive = false
    /// The armed header timer. It is not moved for every request: when it fires before a deadline
    /// that moved later, it re-arms itself for that deadline. It is moved when the deadline moves
    /// earlier (a keep-alive timeout shorter than the header timeout).
    private var headTimer: Scheduled<Void>?
    private var headTimerDeadline = NIODeadline.distantFuture
    /// Ticks while a request body is awaited, to enforce `--min-body-rate`.
    private var bodyTimer: Scheduled<Void>?
    /// Armed while the channel is not writable, to enforce `--send-timeout`.
    private var sendTimer: Scheduled<Void>?

    /// Body bytes thrown away after a response before the server gives up and closes instead.
    private static let drainLimit = 1024 * 1024

    init(server: ServerContext, activity: ReadActivity) {
        self.server = server
        self.activity = activity
        self.logger = server.logger
        self.serverHeaders = ServerHeaders(serverSoftware: server.configuration.serverSoftware)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.connection = ConnectionInfo(
            local: context.channel.localAddress, remote: context.channel.remoteAddress,
            trusting: self.server.configuration.forwardedAllowIPs)
        self.logger[metadataKey: "peer"] = "\(self.connection.remoteAddr):\(self.connection.remotePort)"
        self.waitForHead(afterKeepAlive: false)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelTimers()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isActive = false
        self.cancelTimers()
        self.queued.removeAll()
        if let current = self.current {
            current.call.markDisconnected()
            // A pending read learns what became of the body: refused earlier, or cut off now.
            self.serviceReads(of: current)
            self.completeWaitingWrites(of: current, status: Int32(SSGI_E_DISCONNECTED))
            if current.responded { self.current = nil }
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.inReadLoop = true
        self.receive(self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.inReadLoop = false
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        if self.bodyTimer == nil, let current = self.current, !current.requestEnded {
            self.armBodyTimer()
        }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.sendTimer?.cancel()
            self.sendTimer = nil
            if let current = self.current {
                self.completeWaitingWrites(of: current, status: Int32(SSGI_OK))
            }
        } else if self.sendTimer == nil, self.isActive {
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.sendTimer = context.eventLoop.scheduleTask(in: self.server.configuration.sendTimeout) {
                handler.value.sendTimerFired()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if self.shouldHoldBackReads {
            self.readHeldBack = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case HTTPParserError.invalidEOFState where !context.channel.isActive:
            // The connection closed or was reset in the middle of a request: not something the
            // client sent, but a disconnect, which `channelInactive` reports.
            break
        case let parserError as HTTPParserError:
            self.refuse(RequestRefusal(parserError))
        case ByteToMessageDecoderError.dataReceivedInErrorState:
            // More bytes after a parse error: the refusal is already under way.
            break
        default:
            self.logger.debug("connection error: \(error)")
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is CloseWhenIdle {
            self.closeRequested = true
            self.closeWhenQuiet()
        } else if case ChannelEvent.inputClosed = event {
            self.clientClosedInput()
        } else if let header = event as? ProxyProtocolHeader {
            self.connection = ConnectionInfo(
                local: header.destination ?? context.channel.localAddress,
                remote: header.source ?? context.channel.remoteAddress,
                trusting: self.server.configuration.forwardedAllowIPs)
            self.logger[metadataKey: "peer"] = "\(self.connection.remoteAddr):\(self.connection.remotePort)"
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: Requests

    /// Takes a part from the parser: it waits in the queue while an earlier request is with the
    /// application or earlier parts wait, otherwise it is dispatched at once.
    private func receive(_ part: HTTPServerRequestPart) {
        // After a malformed body nothing the client sends can be trusted to start a request.
        if self.current?.bodyFailed == true { return }
        if !self.queued.isEmpty || self.current?.requestEnded == true {
            self.queued.append(part)
        } else {
            self.dispatch(part)
        }
    }

    private func dispatch(_ part: HTTPServerRequestPart) {
        if let current = self.current {
            self.receiveBody(part, of: current)
        } else if case .head(let head) = part {
            self.startRequest(head)
        }
    }

    private func receiveBody(_ part: HTTPServerRequestPart, of request: InFlightRequest) {
        switch part {
        case .body(let chunk):
            request.receivedBodyBytes += chunk.readableBytes
            if request.responded {
                request.drainedBytes += chunk.readableBytes
                if request.drainedBytes > Self.drainLimit { self.close() }
            } else {
                request.body.append(chunk)
                request.bufferedBytes += chunk.readableBytes
                self.serviceReads(of: request)
            }
        case .end(let trailers):
            if let trailers, let refusal = RequestHeadRules.refusal(ofTrailers: trailers) {
                self.logger.debug("refused request: \(refusal)")
                self.failBody(of: request, refusal: refusal)
                return
            }
            request.requestEnded = true
            if request.responded {
                self.completeRequest()
            } else {
                self.serviceReads(of: request)
            }
        case .head:
            // The parser never starts a request before the previous one ended.
            self.close()
        }
    }

    private func startRequest(_ head: HTTPRequestHead) {
        self.headDeadline = nil
        self.activity.sawBytes = false
        self.server.requestStarted?()
        self.server.trace?.request(head, from: self.connection.remoteAddr)
        if let status = self.server.configuration.limits.violation(of: head) {
            self.logger.debug("refused request: \(status.code) \(status.reasonPhrase): over the request limits")
            self.sendError(status, toHead: head.method == .HEAD)
            return
        }
        if let refusal = RequestHeadRules.refusal(of: head) {
            self.logger.debug("refused request: \(refusal)")
            self.sendError(refusal.status, toHead: head.method == .HEAD)
            return
        }
        guard let context = self.context else { return }
        let environment = RequestEnvironment(
            head: head, connection: self.connection, flags: self.server.requestFlags,
            forwardedBy: self.connection.isTrustedProxy ? self.server.configuration.forwardedAllowIPs : nil)
        if !environment.droppedHeaderNames.isEmpty {
            self.logger.debug("dropped headers with '_' in their names: \(environment.droppedHeaderNames)")
        }
        let request = self.arena.fill(environment)
        let call = RequestCall(
            connection: self, eventLoop: context.eventLoop, allocator: context.channel.allocator, arena: self.arena,
            logger: self.logger, method: head.method.rawValue, target: head.uri)
        let inFlight = InFlightRequest(call: call, head: head)
        inFlight.remoteAddr = environment.remoteAddr
        inFlight.bodyLength = environment.bodyLength
        self.current = inFlight
        self.server.heldRequests.add()
        self.server.application.handle(request, call: ServerOperations.retainedHandle(call))
    }

    /// The client closed its sending side. Whatever it sent before is already parsed (a request
    /// cut short by it was refused on the way), so once the requests that wait are answered there
    /// is nothing more to do.
    private func clientClosedInput() {
        self.inputClosed = true
        if self.isActive, self.current == nil, self.queued.isEmpty, self.pendingRefusal == nil {
            self.close()
        }
    }

    /// The response is written and the request body consumed: on to the next request.
    private func completeRequest() {
        self.current = nil
        guard self.isActive else { return }
        if self.closeRequested {
            self.close()
            return
        }
        if self.pendingRefusal != nil, self.queued.isEmpty {
            self.applyPendingRefusal()
            return
        }
        if self.inputClosed, self.queued.isEmpty {
            self.close()
            return
        }
        self.waitForHead(afterKeepAlive: true)
        if self.queued.isEmpty {
            self.resumeReadingIfPossible()
        } else if let context = self.context {
            // Not from here: this may run inside an operation the application called, and the
            // specification promises `handle` is never entered from inside one.
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.execute { handler.value.processQueue() }
        }
    }

    /// Feeds the parts that waited while a request was in flight, without recursing when an
    /// inline application finishes the next request from inside `handle`.
    private func processQueue() {
        guard !self.isProcessingQueue else { return }
        self.isProcessingQueue = true
        defer { self.isProcessingQueue = false }
        while self.isActive, !self.queued.isEmpty, self.current?.requestEnded != true {
            self.dispatch(self.queued.removeFirst())
        }
        self.applyPendingRefusal()
        self.resumeReadingIfPossible()
    }

    // MARK: Refusing requests

    /// Answers a request that broke a rule the parser checks. The error arrives after every part
    /// parsed before it, so it concerns the request the connection reaches once the parts waiting
    /// in `queued` are dispatched: it waits for them.
    private func refuse(_ refusal: RequestRefusal) {
        self.logger.debug("refused request: \(refusal)")
        if self.pendingRefusal == nil { self.pendingRefusal = refusal }
        self.applyPendingRefusal()
    }

    private func applyPendingRefusal() {
        guard let refusal = self.pendingRefusal, self.queued.isEmpty, self.isActive else { return }
        if let current = self.current {
            // A refusal that concerns the next request waits until this one is complete.
            guard !current.requestEnded else { return }
            self.pendingRefusal = nil
            self.failBody(of: current, refusal: refusal)
        } else {
            self.pendingRefusal = nil
            self.sendError(refusal.status)
        }
    }

    /// The body of the request in flight is malformed, so it cannot be trusted to end where the
    /// client says: the server answers the refusal itself if nothing of a response went out,
    /// otherwise the response finishes and the connection closes. Either way the application's
    /// pending reads fail.
    private func failBody(of request: InFlightRequest, refusal: RequestRefusal) {
        request.bodyFailed = true
        if request.responded {
            // Its response is out and the rest of its body can no longer be found: nothing to wait for.
            self.current = nil
            self.close()
        } else if request.framing == nil {
            self.sendError(refusal.status, toHead: request.isHeadRequest)
        } else {
            self.closeRequested = true
        }
        self.failPendingReads(of: request, status: Int32(SSGI_E_BAD_BODY))
    }

    // MARK: Reading the request body

    func requestBodyRead(maxLength: Int, completion: ReadCompletion, by call: RequestCall) {
        guard let request = self.current, request.call === call else {
            completion(status: Int32(SSGI_E_DISCONNECTED))
            return
        }
        if request.expectsContinue, !request.continueSent, request.framing == nil, !request.requestEnded,
            self.isActive, !request.bodyFailed, let context = self.context
        {
            request.continueSent = true
            var buffer = context.channel.allocator.buffer(capacity: 25)
            buffer.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        }
        request.pendingReads.append((maxLength > 0 ? maxLength : RequestLimits.readLength, completion))
        self.serviceReads(of: request)
    }

    /// Answers the pending reads from what the request's body holds. What a read is told depends
    /// only on what the client sent and how the connection ended, never on when the read comes
    /// (docs/SPEC.md §10.1): the bytes received, then the end of the body, or `SSGI_E_BAD_BODY`
    /// once the body broke a rule, or `SSGI_E_DISCONNECTED` once the connection is gone.
    private func serviceReads(of request: InFlightRequest) {
        while let (maxLength, completion) = request.pendingReads.first {
            if var chunk = request.body.first {
                request.pendingReads.removeFirst()
                let slice: ByteBuffer
                if chunk.readableBytes <= maxLength {
                    slice = request.body.removeFirst()
                } else {
                    slice = chunk.readSlice(length: maxLength)!
                    request.body[request.body.startIndex] = chunk
                }
                request.bufferedBytes -= slice.readableBytes
                completion(slice)
            } else if request.bodyFailed {
                self.failPendingReads(of: request, status: Int32(SSGI_E_BAD_BODY))
            } else if request.requestEnded {
                request.pendingReads.removeFirst()
                completion(status: Int32(SSGI_OK))
            } else if !self.isActive {
                self.failPendingReads(of: request, status: Int32(SSGI_E_DISCONNECTED))
            } else {
                break
            }
        }
        self.resumeReadingIfPossible()
    }

    private func failPendingReads(of request: InFlightRequest, status: Int32) {
        while !request.pendingReads.isEmpty {
            request.pendingReads.removeFirst().completion(status: status)
        }
    }

    private var shouldHoldBackReads: Bool {
        if !self.queued.isEmpty || self.pendingRefusal != nil { return true }
        guard let request = self.current else { return false }
        return !request.requestEnded && !request.responded
            && request.bufferedBytes >= self.server.configuration.limits.bodyBuffer
    }

    private func resumeReadingIfPossible() {
        guard self.readHeldBack, self.isActive, !self.shouldHoldBackReads, let context = self.context else { return }
        self.readHeldBack = false
        context.read()
    }

    // MARK: Writing the response

    func responseStarted(_ head: ResponseHead, by call: RequestCall) {
        guard let request = self.current, request.call === call, request.framing == nil else { return }
        request.responseHead = head
    }

    /// Body bytes from the application, copied before this returns.
    func responseBody<Bytes: Collection<UInt8>>(_ chunk: Bytes, completion: WriteCompletion?, by call: RequestCall) {
        guard let request = self.current, request.call === call, self.isActive, let context = self.context else {
            completion?(Int32(SSGI_E_DISCONNECTED))
            return
        }
        guard !chunk.isEmpty else {
            // An empty write commits nothing and does not count as the one chunk a length is computed from.
            completion?(Int32(SSGI_OK))
            return
        }
        var buffer: ByteBuffer
        if request.framing == nil {
            if request.responseHead?.contentLength == nil, request.deferredChunk == nil {
                request.deferredChunk = self.holdBack(chunk, allocator: context.channel.allocator)
                completion?(Int32(SSGI_OK))
                return
            }
            buffer = self.commit(request, knownLength: nil, context: context)
        } else {
            buffer = context.channel.allocator.buffer(capacity: chunk.count + 16)
        }
        self.appendBody(chunk, of: request, to: &buffer)
        context.write(self.wrapOutboundOut(buffer), promise: nil)
        self.recycle(buffer)
        self.flush()
        if let completion {
            if context.channel.isWritable {
                completion(Int32(SSGI_OK))
            } else {
                request.waitingWrites.append(completion)
            }
        }
    }

    func responseFinished(failed: Bool, cleanup: CleanupCallback?, by call: RequestCall) {
        guard let request = self.current, request.call === call, self.isActive, let context = self.context else {
            self.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            if self.current?.call === call { self.current = nil }
            return
        }
        request.responded = true
        self.failPendingReads(of: request, status: Int32(SSGI_E_FINISHED))
        // Every write's completion runs exactly once, before the cleanup.
        self.completeWaitingWrites(of: request, status: Int32(SSGI_OK))
        if !failed, request.responseHead == nil {
            request.call.logError("application finished \(request.requestLine) without calling start_response")
        }
        if failed || request.responseHead == nil {
            self.finishFailed(request, cleanup: cleanup, context: context)
            return
        }
        var buffer: ByteBuffer
        if request.framing == nil {
            let known = request.deferredChunk?.readableBytes ?? 0
            buffer = self.commit(request, knownLength: known, context: context)
        } else {
            buffer = context.channel.allocator.buffer(capacity: 5)
        }
        if !request.isHeadRequest {
            ResponseEncoder.writeEnd(framing: request.framing!, into: &buffer)
        }
        var complete = true
        if case .length(let declared) = request.framing!, request.bodyBytesSent < declared, !request.isHeadRequest,
            request.responseHead!.allowsBody
        {
            self.logger.error(
                "application sent \(request.bodyBytesSent) of the \(declared) body bytes it declared for \(request.requestLine): closing the connection"
            )
            request.keepAlive = false
            complete = false
        }
        if request.framing == .closeDelimited { request.keepAlive = false }
        self.writeFinal(buffer, of: request, complete: complete, cleanup: cleanup, context: context)
    }

    /// The application failed: a generic 500 if nothing was sent, else the connection is cut.
    private func finishFailed(_ request: InFlightRequest, cleanup: CleanupCallback?, context: ChannelHandlerContext) {
        request.keepAlive = false
        self.closeRequested = true
        if request.framing == nil {
            self.logger.error("application failed before the response to \(request.requestLine) started: answered 500")
            request.statusCode = HTTPStatus.internalServerError.code
            var buffer = context.channel.allocator.buffer(capacity: 256)
            request.bodyBytesSent = ResponseEncoder.writeErrorResponse(
                .internalServerError, toHead: request.isHeadRequest, date: self.serverHeaders.imfFixdate(),
                serverSoftware: self.server.configuration.serverSoftware, into: &buffer)
            self.server.trace?.response(buffer)
            self.writeFinal(buffer, of: request, complete: false, cleanup: cleanup, context: context)
        } else {
            self.logger.error(
                "application failed after the response to \(request.requestLine) started: closing the connection")
            self.recordAccess(request)
            self.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            self.current = nil
            self.close()
        }
    }

    /// Writes the last bytes of a response, then moves on to the next request or closes.
    /// `complete` says whether this ends the response the application meant to send, which is what
    /// its cleanup is told once the bytes reached the socket.
    private func writeFinal(
        _ buffer: ByteBuffer, of request: InFlightRequest, complete: Bool, cleanup: CleanupCallback?,
        context: ChannelHandlerContext
    ) {
        if !request.keepAlive { self.closeRequested = true }
        if let cleanup {
            let promise = context.eventLoop.makePromise(of: Void.self)
            let heldRequests = self.server.heldRequests
            promise.futureResult.whenComplete { result in
                switch result {
                case .success: cleanup(complete ? Int32(SSGI_OK) : Int32(SSGI_E_DISCONNECTED))
                case .failure: cleanup(Int32(SSGI_E_DISCONNECTED))
                }
                heldRequests.remove()
            }
            context.write(self.wrapOutboundOut(buffer), promise: promise)
        } else {
            context.write(self.wrapOutboundOut(buffer), promise: nil)
            self.server.heldRequests.remove()
        }
        self.recycle(buffer)
        self.flush()
        self.recordAccess(request)
        if self.closeRequested {
            self.current = nil
            self.close()
        } else if request.requestEnded {
            self.completeRequest()
        } else if request.expectsContinue && !request.continueSent {
            // The client is still waiting to be told to send the body: it will not follow.
            self.current = nil
            self.close()
        } else {
            // The rest of the body is read and thrown away (up to `drainLimit`): what the
            // application left unread goes, and reading, held back while it was buffered, resumes.
            request.body.removeAll()
            request.bufferedBytes = 0
            self.resumeReadingIfPossible()
        }
    }

    /// Decides the framing, lays out the head, and returns a buffer holding it (and the held-back
    /// first chunk) for more body bytes to be appended: the whole of a small response goes to the
    /// channel as one buffer.
    private func commit(_ request: InFlightRequest, knownLength: Int?, context: ChannelHandlerContext) -> ByteBuffer {
        let head = request.responseHead!
        let framing: ResponseFraming
        var addContentLength: Int?
        if !head.allowsBody {
            framing = .none
        } else if let declared = head.contentLength {
            framing = .length(declared)
        } else if let knownLength {
            framing = .length(knownLength)
            addContentLength = knownLength
        } else if request.clientIsHTTP10 {
            framing = .closeDelimited
        } else {
            framing = .chunked
        }
        if framing == .closeDelimited || self.closesAfterResponse(to: request) { request.keepAlive = false }
        request.framing = framing
        request.statusCode = head.statusCode
        self.serverHeaders.refresh()
        var deferredBytes = request.deferredChunk?.readableBytes ?? 0
        // A large first chunk is not copied behind the head: it follows it in a write of its own,
        // and the two leave in one gathering write at the flush.
        let sendsDeferredApart = deferredBytes > Self.spareCapacity && !request.isHeadRequest && framing.isRaw
        if sendsDeferredApart { deferredBytes = 0 }
        let capacity =
            head.bytes.count + self.serverHeaders.lines.count + ResponseEncoder.headOverhead + deferredBytes
            + ResponseEncoder.chunkOverhead
        var buffer = self.spareResponse
        self.spareResponse = ByteBuffer()
        if buffer.capacity == 0 {
            buffer = context.channel.allocator.buffer(capacity: max(1024, capacity))
        } else {
            buffer.clear(minimumCapacity: capacity)
        }
        ResponseEncoder.writeHead(
            head, framing: framing, addContentLength: addContentLength, keepAlive: request.keepAlive,
            clientIsHTTP10: request.clientIsHTTP10, serverHeaders: self.serverHeaders, into: &buffer)
        self.server.trace?.response(buffer)
        if sendsDeferredApart, let deferred = request.deferredChunk {
            request.deferredChunk = nil
            context.write(self.wrapOutboundOut(buffer), promise: nil)
            self.recycle(buffer)
            request.bodyBytesSent += deferred.readableBytes
            return deferred
        }
        if var deferred = request.deferredChunk {
            request.deferredChunk = nil
            self.appendBody(deferred.readableBytesView, of: request, to: &buffer)
            if deferred.capacity <= Self.spareCapacity {
                deferred.clear()
                self.spareChunk = deferred
            }
        }
        return buffer
    }

    /// Whether the connection closes after `request`'s response, decided when its head goes out so
    /// that the head says so with `Connection: close` (docs/SPEC.md §7.5): a close was asked for,
    /// the client sends nothing more, or the rest of the body will not be read (§10.4).
    private func closesAfterResponse(to request: InFlightRequest) -> Bool {
        if self.closeRequested { return true }
        if self.inputClosed, self.queued.isEmpty, self.pendingRefusal == nil { return true }
        guard !request.requestEnded else { return false }
        // The client waits for a 100 Continue before it sends the body: the body will not follow.
        if request.expectsContinue, !request.continueSent { return true }
        // The rest of a chunked body is of unknown size; past `drainLimit` it is not read.
        guard request.bodyLength >= 0 else { return true }
        return Int(request.bodyLength) - request.receivedBodyBytes > Self.drainLimit
    }

    /// Keeps a buffer just handed to the channel for the next response, when it is small.
    private func recycle(_ buffer: ByteBuffer) {
        if buffer.capacity <= Self.spareCapacity { self.spareResponse = buffer }
    }

    /// The largest buffer a connection keeps between responses for its memory.
    private static let spareCapacity = 4096

    /// A copy of a first body chunk, held back until it is known whether more follow.
    private func holdBack<Bytes: Collection<UInt8>>(_ chunk: Bytes, allocator: ByteBufferAllocator) -> ByteBuffer {
        guard chunk.count <= Self.spareCapacity else { return allocator.buffer(bytes: chunk) }
        var buffer = self.spareChunk
        self.spareChunk = ByteBuffer()
        if buffer.capacity == 0 { buffer = allocator.buffer(capacity: max(1024, chunk.count)) }
        buffer.writeBytes(chunk)
        return buffer
    }

    private func appendBody<Bytes: Collection<UInt8>>(
        _ chunk: Bytes, of request: InFlightRequest, to buffer: inout ByteBuffer
    ) {
        guard !request.isHeadRequest, let framing = request.framing else { return }
        request.bodyBytesSent += framing == .none ? 0 : chunk.count
        ResponseEncoder.writeBody(chunk, framing: framing, into: &buffer)
    }

    /// The server is done with a finished request: its cleanup, if any, runs now.
    private func release(_ cleanup: CleanupCallback?, status: Int32) {
        cleanup?(status)
        self.server.heldRequests.remove()
    }

    private func completeWaitingWrites(of request: InFlightRequest, status: Int32) {
        let waiting = request.waitingWrites
        request.waitingWrites.removeAll()
        for completion in waiting {
            completion(status)
        }
    }

    // MARK: Connection management

    /// Answers with a response of the server's own and closes the connection.
    private func sendError(_ status: HTTPStatus, toHead: Bool = false) {
        guard let context = self.context, self.isActive else { return }
        self.closeRequested = true
        var buffer = context.channel.allocator.buffer(capacity: 256)
        let bodyBytes = ResponseEncoder.writeErrorResponse(
            status, toHead: toHead, date: self.serverHeaders.imfFixdate(),
            serverSoftware: self.server.configuration.serverSoftware,
            into: &buffer)
        self.server.trace?.response(buffer)
        self.server.accessLog?.record(
            remote: self.connection.remoteAddr, date: self.serverHeaders.commonLog(), requestLine: "-",
            status: status.code, bytes: bodyBytes)
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        self.close()
    }

    private func flush() {
        if self.inReadLoop {
            self.needsFlush = true
        } else {
            self.context?.flush()
        }
    }

    /// Closes after everything written so far has been flushed.
    private func close() {
        guard self.isActive, let context = self.context else { return }
        self.isActive = false
        self.cancelTimers()
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Closes the connection once it has been quiet for `drainQuietPeriod`, unless bytes arrive
    /// first: a request, which is then the last one, or the start of one, which gets the time
    /// the header timeout gives it.
    private func closeWhenQuiet() {
        guard self.current == nil, self.queued.isEmpty, let context = self.context else { return }
        let reads = self.activity.reads
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.drainQuietPeriod) {
            let handler = handler.value
            if handler.current == nil, handler.queued.isEmpty, handler.activity.reads == reads { handler.close() }
        }
    }

    // MARK: Timeouts

    /// Starts the wait for a request head: the header timeout on a new connection, the keep-alive
    /// timeout after a response.
    private func waitForHead(afterKeepAlive: Bool) {
        let configuration = self.server.configuration
        let deadline =
            NIODeadline.now() + (afterKeepAlive ? configuration.keepAliveTimeout : configuration.headerTimeout)
        self.headDeadline = deadline
        self.headDeadlineIsKeepAlive = afterKeepAlive
        if let timer = self.headTimer, deadline < self.headTimerDeadline {
            timer.cancel()
            self.headTimer = nil
        }
        if self.headTimer == nil {
            self.armHeadTimer(for: deadline)
        }
    }

    private func armHeadTimer(for deadline: NIODeadline) {
        guard let context = self.context else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.headTimerDeadline = deadline
        self.headTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            handler.value.headTimerFired()
        }
    }

    private func headTimerFired() {
        self.headTimer = nil
        guard var deadline = self.headDeadline else { return }
        if self.headDeadlineIsKeepAlive, self.activity.sawBytes {
            // The next request started during the keep-alive wait: its head gets the header timeout.
            self.headDeadlineIsKeepAlive = false
            deadline = self.activity.firstByteTime + self.server.configuration.headerTimeout
            self.headDeadline = deadline
        }
        if deadline > .now() {
            self.armHeadTimer(for: deadline)
            return
        }
        self.headDeadline = nil
        guard self.current == nil, self.isActive else { return }
        if self.activity.sawBytes {
            self.logger.debug("request head not received in time")
            self.sendError(.requestTimeout)
        } else {
            self.close()
        }
    }

    private func armBodyTimer() {
        guard let context = self.context, self.server.configuration.minBodyRate > 0 else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.bodyTimer = context.eventLoop.scheduleTask(in: BodyRateRule.tick) {
            handler.value.bodyTimerFired()
        }
    }

    private func bodyTimerFired() {
        self.bodyTimer = nil
        guard self.isActive, let request = self.current, !request.requestEnded, !request.bodyFailed else { return }
        let waitingForClient = !self.shouldHoldBackReads && !(request.expectsContinue && !request.continueSent)
        if waitingForClient { request.bodyWaitSeconds += 1 }
        let rule = BodyRateRule(bytesPerSecond: self.server.configuration.minBodyRate)
        guard rule.isTooSlow(received: request.receivedBodyBytes, waitedSeconds: request.bodyWaitSeconds) else {
            self.armBodyTimer()
            return
        }
        self.logger.debug(
            "request body arrived slower than --min-body-rate \(rule.bytesPerSecond) bytes/s (\(request.receivedBodyBytes) bytes in \(request.bodyWaitSeconds) s): closing"
        )
        request.bodyFailed = true
        if request.framing == nil, !request.responded {
            self.sendError(.requestTimeout, toHead: request.isHeadRequest)
        } else {
            self.close()
        }
        self.failPendingReads(of: request, status: Int32(SSGI_E_BAD_BODY))
    }

    private func sendTimerFired() {
        self.sendTimer = nil
        guard self.isActive, let context = self.context, !context.channel.isWritable else { return }
        self.logger.debug(
            "the client read nothing of the response for --send-timeout \(self.server.configuration.sendTimeout.nanoseconds / 1_000_000_000) s: closing"
        )
        // Nothing more can be flushed to a client that does not read: close at once.
        self.isActive = false
        self.cancelTimers()
        context.close(promise: nil)
    }

    private func cancelTimers() {
        self.headTimer?.cancel()
        self.bodyTimer?.cancel()
        self.sendTimer?.cancel()
        self.headTimer = nil
        self.bodyTimer = nil
        self.sendTimer = nil
    }

    private func recordAccess(_ request: InFlightRequest) {
        self.server.accessLog?.record(
            remote: request.remoteAddr, date: self.serverHeaders.commonLog(), requestLine: request.requestLine,
            status: request.statusCode, bytes: request.bodyBytesSent)
    }
}

import CSSGI
import Logging
import NIOCore
import SSGI

/// Serves the requests of one HTTP/1.1 connection to the application, one at a time and in
/// order: the one handler of the connection's pipeline (behind a PROXY protocol header's, on
/// `proxy:` binds), from bytes to bytes.
///
/// The data path reads in one direction: the bytes the client sends go to the parser
/// (`RequestParser`), the state machine (`HTTP1Connection`) decides what each event means for the
/// connection, the call core (`CallCore`) turns each request into an SSGI call, and the
/// application's response comes back through `CallFrontEnd` to be framed (`HTTP1Response`) and
/// written. This type only performs what the state machine decides. Invariants:
/// - the next request is read only once the previous one is complete: a pipelined request waits,
///   unparsed, in `input`, and reading the socket is held back meanwhile;
/// - body bytes held for the application stay under `RequestLimits.bodyBuffer` (and what one
///   turn of the event loop reads on top): above it the handler holds back `read()`, which is how
///   back-pressure reaches the client;
/// - every timeout is one deadline of the state machine, on the event loop's clock, and one
///   timer is armed for the earliest;
/// - every method runs on the channel's event loop.
final class HTTP1ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Asks a connection to close once its current response is done (graceful stop).
    struct CloseWhenIdle: Sendable {}

    let server: ServerContext
    /// `ssgi.url_scheme` of the connection: `https` behind TLS.
    let urlScheme: String
    /// `SSL_CLIENT_S_DN`: the subject of the client's verified certificate, or empty.
    let tlsClientSubject: String
    // The state below is touched only on the event loop, by methods that never keep an access
    // open across a call out of the handler (they copy what they mutate, and write it back), so
    // it goes without the dynamic exclusivity checks, which cost a tenth of a request.
    @exclusivity(unchecked) var context: ChannelHandlerContext?
    @exclusivity(unchecked) private(set) var connection = ConnectionInfo(local: nil, remote: nil)
    @exclusivity(unchecked) var logger: Logger
    @exclusivity(unchecked) var serverHeaders: ServerHeaders
    @exclusivity(unchecked) private var parser: RequestParser
    /// What the client sent and the parser has not consumed yet.
    @exclusivity(unchecked) private var input = ByteBuffer()
    @exclusivity(unchecked) var machine: HTTP1Connection
    @exclusivity(unchecked) var core: CallCore!
    /// The response of the request in progress.
    @exclusivity(unchecked) var response: HTTP1Response?
    @exclusivity(unchecked) var buffers = ResponseBuffers(allocator: ByteBufferAllocator())
    @exclusivity(unchecked) private var isProcessingInput = false
    @exclusivity(unchecked) var inReadLoop = false
    @exclusivity(unchecked) var needsFlush = false
    @exclusivity(unchecked) private var readHeldBack = false
    /// The client closed its sending side (a half-close, or the first half of a close): requests
    /// received in full are answered, and the connection closes after the last one.
    @exclusivity(unchecked) private var inputClosed = false
    /// The channel is being closed.
    @exclusivity(unchecked) var isClosing = false
    @exclusivity(unchecked) private var timer: Scheduled<Void>?
    @exclusivity(unchecked) private var timerDeadline: NIODeadline?
    /// What this connection counts, with `--metrics-bind`.
    @exclusivity(unchecked) var counters: RequestCounters?
    /// The request being served, as the counters see it.
    @exclusivity(unchecked) var countedRequest: (method: Int, start: NIODeadline)?
    /// What the combined and JSON access logs say of the request being served.
    @exclusivity(unchecked) var logFields: RequestLogFields?
    /// The ids this connection makes (`--request-id`), and the id of the request being served.
    @exclusivity(unchecked) var requestIds: RequestIdGenerator?
    @exclusivity(unchecked) var requestId: String?
    /// Whether the call's log lines carry a request id now.
    @exclusivity(unchecked) var tagsRequestId = false

    init(server: ServerContext, urlScheme: String = "http", tlsClientSubject: String = "") {
        self.server = server
        self.urlScheme = urlScheme
        self.tlsClientSubject = tlsClientSubject
        self.logger = server.logger
        self.serverHeaders = ServerHeaders(serverSoftware: server.configuration.serverSoftware)
        self.parser = RequestParser(limits: server.configuration.limits)
        let configuration = server.configuration
        // Started again on the event loop's clock when the handler is added.
        self.machine = HTTP1Connection(
            configuration: HTTP1Connection.Configuration(
                headerTimeout: configuration.headerTimeout, keepAliveTimeout: configuration.keepAliveTimeout,
                sendTimeout: configuration.sendTimeout,
                bodyRate: BodyRateRule(bytesPerSecond: configuration.minBodyRate)),
            now: .uptimeNanoseconds(0))
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.buffers = ResponseBuffers(allocator: context.channel.allocator)
        self.updateConnection(local: context.channel.localAddress, remote: context.channel.remoteAddress)
        let configuration = self.server.configuration
        self.machine = HTTP1Connection(
            configuration: HTTP1Connection.Configuration(
                headerTimeout: configuration.headerTimeout, keepAliveTimeout: configuration.keepAliveTimeout,
                sendTimeout: configuration.sendTimeout,
                bodyRate: BodyRateRule(bytesPerSecond: configuration.minBodyRate)),
            now: context.eventLoop.now)
        self.core = CallCore(
            application: self.server.application, eventLoop: context.eventLoop, allocator: context.channel.allocator,
            bodyLimit: configuration.limits.bodyBuffer, heldRequests: self.server.heldRequests, logger: self.logger)
        self.core.frontEnd = self
        self.counters = self.server.counters?.counters(for: context.eventLoop)
        if configuration.requestIds { self.requestIds = RequestIdGenerator() }
        self.armTimer()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelTimer()
        self.core?.disconnected()
        self.core?.frontEnd = nil
        self.context = nil
        if self.countedRequest.take() != nil { self.counters?.requestEnded() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.machine.closed()
        self.cancelTimer()
        self.core.disconnected()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.counters?.received(bytes.readableBytes)
        self.inReadLoop = true
        if self.input.readableBytes == 0 {
            self.input = bytes
        } else {
            self.input.writeBuffer(&bytes)
        }
        if case .idle = self.machine.state {
            self.machine.bytesArrived(now: context.eventLoop.now)
        }
        self.processInput()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.inReadLoop = false
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let isWritable = context.channel.isWritable
        self.machine.writabilityChanged(isWritable: isWritable, now: context.eventLoop.now)
        if isWritable { self.core.writable() }
        self.armTimer()
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
        self.logger.debug("connection error: \(error)")
        self.close()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is CloseWhenIdle {
            _ = self.machine.requestStop(now: context.eventLoop.now)
            self.armTimer()
        } else if case ChannelEvent.inputClosed = event {
            self.inputClosed = true
            self.processInput()
        } else if let header = event as? ProxyProtocolHeader {
            self.updateConnection(
                local: header.destination ?? context.channel.localAddress,
                remote: header.source ?? context.channel.remoteAddress)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func updateConnection(local: SocketAddress?, remote: SocketAddress?) {
        self.connection = ConnectionInfo(
            local: local, remote: remote, urlScheme: self.urlScheme,
            trusting: self.server.configuration.forwardedAllowIPs)
        self.connection.tlsClientSubject = self.tlsClientSubject
        self.logger[metadataKey: "peer"] = "\(self.connection.remoteAddr):\(self.connection.remotePort)"
        self.core?.logger = self.logger
    }

    // MARK: Requests

    /// Reads events from the parser while the connection takes them: heads, body bytes, ends.
    /// Never recursively: the application may answer a request inside `handle`, and the next
    /// request then starts here, once `handle` has returned.
    private func processInput() {
        guard !self.isProcessingInput else { return }
        self.isProcessingInput = true
        defer { self.isProcessingInput = false }
        // Body bytes go to the call as they are parsed, slices of the buffers they arrived in: it
        // is reading the socket that stops while the application holds enough (`read(context:)`),
        // so that no buffer is copied into another meanwhile.
        reading: while self.machine.readsInput {
            switch self.parser.next(&self.input) {
            case .needMoreBytes:
                // A consumed buffer goes back to the channel, which reuses it for its next read.
                if self.input.readableBytes == 0 { self.input = ByteBuffer() }
                if self.inputClosed { self.inputEnded() }
                break reading
            case .head:
                self.startRequest()
            case .body(let chunk):
                switch self.machine.bodyReceived(count: chunk.readableBytes) {
                case .deliver: self.core.bodyReceived(chunk)
                case .discard: break
                case .close: self.close()
                }
            case .end:
                self.endRequestBody()
            case .error(let error):
                let refusal = RequestRefusal(error)
                self.logger.debug("refused request: \(refusal)")
                self.refuse(refusal)
            }
        }
        self.resumeReadingIfPossible()
    }

    private func startRequest() {
        let head = self.parser.head
        self.server.requestStarted?()
        let refusal = head.withParts(in: self.input) { parts in
            self.server.trace?.request(parts, from: self.connection.remoteAddr)
            return RequestHeadRules.refusal(of: parts)
        }
        if let refusal {
            self.logger.debug("refused request: \(refusal)")
            self.refuse(refusal, toHead: head.isHead)
            return
        }
        // SSGI 1.0 has no protocol upgrades, and the parser stops after a request that asks for
        // one: it is answered as a plain request, then the connection closes.
        var hasUpgrade = false
        var expectsContinue = false
        head.withParts(in: self.input) { parts in
            for field in head.fields {
                switch field.name {
                case .upgrade: hasUpgrade = true
                case .expect: expectsContinue = ASCII.equalsIgnoringCase(parts.value(field), "100-continue")
                default: break
                }
            }
        }
        let keepAlive = head.keepAlive && !hasUpgrade && head.method != .connect
        let bodyLength: Int64
        switch head.framing {
        case .none: bodyLength = 0
        case .chunked: bodyLength = -1
        case .length(let length): bodyLength = Int64(clamping: length)
        }
        guard
            self.machine.headReceived(
                keepAlive: keepAlive, expectsContinue: expectsContinue && head.versionMinor >= 1,
                hasBody: head.framing != .none, bodyLength: bodyLength, now: self.context!.eventLoop.now)
                == .startCall
        else { return }
        self.response = HTTP1Response(
            isHeadRequest: head.isHead, clientIsHTTP10: head.versionMinor == 0, keepAlive: keepAlive)
        if self.server.accessLog?.format.needsRequestFields == true {
            self.logFields = head.withParts(in: self.input) { RequestLogFields($0, start: .now()) }
        }
        if let counters = self.counters {
            let method = head.withParts(in: self.input) { MetricsLayout.methodIndex($0.method) }
            self.countedRequest = (method, .now())
            counters.requestStarted()
        }
        let (request, dropped) = head.withParts(in: self.input) { parts in
            self.requestIds == nil ? self.fillEnvironment(parts) : self.fillEnvironmentWithRequestId(parts)
        }
        if self.requestIds != nil || self.logFields?.requestId != nil || self.tagsRequestId {
            self.tagRequestId()
        }
        if !dropped.isEmpty {
            self.logger.debug("dropped headers with '_' in their names: \(dropped)")
        }
        self.armTimer()
        self.core.start(request, hasBody: head.framing != .none)
    }

    /// Lays the environ of `request` out in the call's arena.
    func fillEnvironment(_ request: some RequestDescription) -> (
        request: UnsafePointer<ssgi_request>, droppedNames: [String]
    ) {
        RequestEnvironment.fill(
            self.core.arena, from: request, connection: self.connection, flags: self.server.requestFlags,
            forwardedBy: self.connection.isTrustedProxy ? self.server.configuration.forwardedAllowIPs : nil)
    }

    /// The client sends nothing more, and the parser has read all it sent: a request it started
    /// and did not complete is refused, and its reads fail with `SSGI_E_BAD_BODY` (§10.1, §14.1);
    /// at a request's start, the connection closes (once the response in progress is out).
    private func inputEnded() {
        switch self.machine.state {
        case .idle:
            if self.input.readableBytes > 0 {
                self.refuse(.closedBeforeComplete)
            } else {
                self.close()
            }
        case .active:
            self.refuse(.closedBeforeComplete)
        case .closing, .closed:
            break
        }
    }

    /// Whether the connection may stay open after the response whose head goes out now: as the
    /// state machine decides, unless the client sends nothing more (§10.4).
    var responseKeepAlive: Bool {
        self.machine.responseKeepAlive && !(self.inputClosed && !self.parser.hasUnreadBytes(in: self.input))
    }

    /// The body ended: its trailers are checked, and the request may be complete.
    private func endRequestBody() {
        if let refusal = RequestHeadRules.refusal(ofTrailers: self.parser.head.trailers.lazy.map(\.name)) {
            self.logger.debug("refused request: \(refusal)")
            self.refuse(refusal)
            return
        }
        self.core.bodyEnded()
        self.perform(self.machine.bodyEnded(now: self.context!.eventLoop.now))
    }

    /// Refuses the request being read: with the server's own response if nothing of one went out
    /// yet, else by closing once the response is out; the application's reads fail (§14.1).
    func refuse(_ refusal: RequestRefusal, toHead: Bool = false) {
        self.counters?.refused(RefusalReason(status: refusal.status.code))
        let wasCalling = self.core.isCalling
        switch self.machine.refuse() {
        case .refuse:
            if wasCalling { self.core.bodyEnded(Int32(SSGI_E_BAD_BODY)) }
            self.sendError(refusal.status, toHead: toHead || (self.response?.isHeadRequest ?? false))
        case .closeAfterResponse:
            self.core.bodyEnded(Int32(SSGI_E_BAD_BODY))
        case .close:
            if wasCalling { self.core.bodyEnded(Int32(SSGI_E_BAD_BODY)) }
            self.close()
        }
    }

    /// Does what the state machine decided once a request's body or response ended.
    func perform(_ action: HTTP1Connection.CompletionAction) {
        switch action {
        case .none:
            // The response is out and the body still arrives: it is read and thrown away.
            self.processInputLater()
        case .readNext:
            if let head = self.response?.head { self.core.recycle(head) }
            self.response = nil
            self.buffers.trim()
            if self.inputClosed, !self.parser.hasUnreadBytes(in: self.input) {
                // The client sends nothing more.
                self.close()
                return
            }
            if self.parser.hasUnreadBytes(in: self.input) {
                self.machine.bytesArrived(now: self.context!.eventLoop.now)
                self.processInputLater()
            }
            self.armTimer()
            self.resumeReadingIfPossible()
        case .close:
            self.close()
        }
    }

    /// Reads what waits in `input`: at once when the handler is already reading it, else on
    /// the event loop's next turn, since this may run inside an operation of the application,
    /// and the specification promises `handle` is never entered from inside one.
    private func processInputLater() {
        guard !self.isProcessingInput, self.parser.hasUnreadBytes(in: self.input), let context = self.context else {
            self.resumeReadingIfPossible()
            return
        }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute { handler.value.processInput() }
    }

    // MARK: Reading

    /// Whether the socket should not be read now: a request waits in `input`, or the
    /// application holds as much of the body as it may, or the connection is closing.
    private var shouldHoldBackReads: Bool {
        switch self.machine.state {
        case .closing, .closed:
            return true
        case .idle:
            return false
        case .active:
            if !self.machine.readsInput { return self.input.readableBytes > 0 }
            return !self.machine.isDraining && !self.core.wantsBody
        }
    }

    func resumeReadingIfPossible() {
        guard self.readHeldBack, !self.shouldHoldBackReads, let context = self.context else { return }
        self.readHeldBack = false
        context.read()
    }

    /// More body may be read: parse what waits, and read the socket again.
    func resumeBody() {
        guard case .active = self.machine.state else { return }
        self.processInput()
    }

    // MARK: Timeouts

    /// Arms the timer for the state machine's earliest deadline, unless it is armed for an
    /// earlier one: it then re-arms itself when it fires.
    func armTimer() {
        guard let deadline = self.machine.nextDeadline, let context = self.context else { return }
        if self.timer != nil, let armed = self.timerDeadline, armed <= deadline { return }
        self.timer?.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.timerDeadline = deadline
        self.timer = context.eventLoop.scheduleTask(deadline: deadline) { handler.value.timerFired() }
    }

    private func cancelTimer() {
        self.timer?.cancel()
        self.timer = nil
        self.timerDeadline = nil
    }

    private func timerFired() {
        self.timer = nil
        self.timerDeadline = nil
        guard let context = self.context else { return }
        switch self.machine.timerFired(now: context.eventLoop.now, readingHeldBack: self.readHeldBack) {
        case .none:
            break
        case .requestTimeout:
            self.logger.debug("request head not received in time")
            self.counters?.refused(.headerTimeout)
            self.sendError(.requestTimeout)
        case .close:
            self.close()
        case .slowBody(let respond, let received, let waited):
            self.logger.debug(
                "request body arrived slower than --min-body-rate \(self.server.configuration.minBodyRate) bytes/s (\(received) bytes in \(waited) s): closing"
            )
            self.counters?.refused(.bodyTimeout)
            // One fault, one status: a body that broke the rate is a bad body, whenever it is read.
            self.core.bodyEnded(Int32(SSGI_E_BAD_BODY))
            if respond {
                self.sendError(.requestTimeout, toHead: self.response?.isHeadRequest ?? false)
            } else {
                self.close()
            }
        case .closeNow:
            self.logger.debug(
                "the client read nothing of the response for --send-timeout \(self.server.configuration.sendTimeout.nanoseconds / 1_000_000_000) s: closing"
            )
            // Nothing more can be flushed to a client that does not read: close at once.
            self.counters?.refused(.sendTimeout)
            self.core.disconnected()
            context.close(promise: nil)
            return
        }
        self.armTimer()
    }
}

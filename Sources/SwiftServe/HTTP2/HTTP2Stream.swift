import CSSGI
import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2
import SSGI

/// Serves one HTTP/2 stream as one SSGI call, for `HTTP2ConnectionHandler`, which hands it the
/// stream's frames: the part `HTTP1ConnectionHandler` plays for a connection (docs/CONNECTION.md).
///
/// HEADERS become the request (`HTTP2Request`), DATA the body, END_STREAM its end, RST_STREAM a
/// client that went away. Back-pressure is the stream's flow control both ways: while the
/// application holds as much body as it may, the stream holds the rest back and does not reopen
/// its window; the application's writes wait while more than `sendHighWatermark` bytes of the
/// stream have not reached the socket (the client's window, or the connection's, is closed).
final class HTTP2Stream {
    enum State {
        /// Waiting for the request's HEADERS.
        case idle
        /// The call runs.
        case calling
        /// The response went out, or the stream was reset.
        case done
    }

    /// Response bytes not yet on the socket above which the application's writes wait, and below
    /// which they resume: the default write watermarks of a SwiftNIO channel.
    static let sendHighWatermark = 64 * 1024
    static let sendLowWatermark = 32 * 1024

    let id: HTTP2StreamID
    let server: ServerContext
    let shared: HTTP2ConnectionState
    /// The connection, which writes the stream's frames (its own frames after the stream closed,
    /// such as a flush of the frame that closed it, are still the connection's to send).
    let connection: HTTP2ConnectionHandler
    let core: CallCore
    var state = State.idle
    var isHeadRequest = false
    var requestBodyEnded = false
    /// The client ended its side of the stream (END_STREAM): its window is closed for good.
    var clientEnded = false
    /// Body bytes held back while the application holds as much as it may, and whether END_STREAM
    /// came after them.
    var heldBody: [ByteBuffer] = []
    var heldBodyEnds = false
    var window = HTTP2InboundWindow(target: ConnectionPipeline.http2StreamWindow)
    /// The response head given and not sent yet.
    var head: ResponseHead?
    var headSent = false
    /// END_STREAM went out.
    var endSent = false
    /// The first body chunk, held back so that a one-write body leaves with END_STREAM.
    var heldChunk: ByteBuffer?
    var bodyBytesSent = 0
    var statusCode = 0
    /// Response bytes written and not yet on the socket; the application waits above the mark.
    var unsentBytes = 0
    var isBlocked = false
    /// The client waits for `100 Continue` before it sends the body (RFC 9110 §10.1.1).
    var expectsContinue = false
    /// The timeouts: a body that does not come (`--min-body-rate`), a window the client does not
    /// open (`--send-timeout`); checked once a second while either may apply.
    var tick: Scheduled<Void>?
    var bodyBytesReceived = 0
    var secondsWaitedForBody = 0
    var blockedSince: NIODeadline?
    /// What this stream counts, with `--metrics-bind`, and its request as the counters see it.
    let counters: RequestCounters?
    var countedRequest: (method: Int, start: NIODeadline)?
    /// What the combined and JSON access logs say of the request.
    var logFields: RequestLogFields?
    /// The request's id under `--request-id`, which the response carries back.
    var requestId: String?

    init(
        id: HTTP2StreamID, connection: HTTP2ConnectionHandler, core: CallCore, server: ServerContext,
        shared: HTTP2ConnectionState, counters: RequestCounters?
    ) {
        self.id = id
        self.connection = connection
        self.core = core
        self.server = server
        self.shared = shared
        self.counters = counters
        core.frontEnd = self
    }

    /// The stream closed (both sides ended, or reset) or the connection went away: the call learns
    /// the client is gone. Returns the call core, for the connection to reuse once its call finished.
    func closed() -> CallCore {
        self.tick?.cancel()
        self.tick = nil
        self.state = .done
        self.heldBody.removeAll()
        self.core.disconnected()
        self.core.frontEnd = nil
        if self.countedRequest.take() != nil { self.counters?.requestEnded() }
        return self.core
    }

    // MARK: Frames from the client

    func receivedHeaders(_ headers: HTTP2Frame.FramePayload.Headers) {
        if headers.endStream { self.clientEnded = true }
        if case .idle = self.state {
            self.startRequest(headers.headers, endStream: headers.endStream)
        } else if headers.endStream {
            // Trailers end the body; SSGI has no place for them.
            self.receivedBodyEnd()
        }
    }

    func receivedData(_ data: HTTP2Frame.FramePayload.Data) {
        if case .byteBuffer(let buffer) = data.data, case .calling = self.state, buffer.readableBytes > 0 {
            self.bodyBytesReceived += buffer.readableBytes
            if self.heldBody.isEmpty, self.core.wantsBody {
                self.core.bodyReceived(buffer)
            } else {
                self.heldBody.append(buffer)
                self.window.held(buffer.readableBytes)
            }
        }
        if data.endStream {
            self.clientEnded = true
            self.receivedBodyEnd()
        }
    }

    func receivedReset() {
        self.core.disconnected()
        self.state = .done
    }

    /// Whether the client may still send on the stream: its window may be opened.
    var isReceiving: Bool {
        guard case .calling = self.state else { return false }
        return !self.clientEnded
    }

    /// The client's view of the stream's receive window changed.
    func inboundWindowChanged(to size: Int) {
        if let increment = self.window.changed(to: size) { self.openWindow(by: increment) }
    }

    /// A stream error (a frame the stream could not take or send): the call learns the client is
    /// gone, and the stream is reset if it is still open.
    func failed(_ error: NIOHTTP2Errors.StreamError) {
        self.server.logger.debug("HTTP/2 stream error: \(error.baseError)")
        guard case .calling = self.state else { return }
        self.state = .done
        self.core.disconnected()
        self.send(.rstStream(.internalError))
        self.flush()
    }

    private func receivedBodyEnd() {
        if self.heldBody.isEmpty {
            self.endRequestBody()
        } else {
            self.heldBodyEnds = true
        }
    }

    /// Hands held body bytes to the application while it wants them, reopening the window.
    func releaseHeldBody() {
        var released = 0
        while !self.heldBody.isEmpty, self.core.wantsBody {
            let buffer = self.heldBody.removeFirst()
            released += buffer.readableBytes
            self.core.bodyReceived(buffer)
        }
        if released > 0, let increment = self.window.released(released) { self.openWindow(by: increment) }
        if self.heldBody.isEmpty, self.heldBodyEnds {
            self.heldBodyEnds = false
            self.endRequestBody()
        }
    }

    private func openWindow(by increment: Int) {
        guard self.isReceiving else { return }
        self.connection.write(.windowUpdate(windowSizeIncrement: increment), on: self.id)
        self.connection.flush()
    }

    // MARK: The request

    private func startRequest(_ headers: HPACKHeaders, endStream: Bool) {
        self.server.requestStarted?()
        self.server.trace?.request(headers, from: self.shared.connection.remoteAddr)
        self.requestBodyEnded = endStream
        var headers = headers
        if self.shared.requestIds != nil { self.assignRequestId(&headers) }
        guard let request = HTTP2Request(headers: headers, endStream: endStream) else {
            self.refuse(.badRequest)
            self.resetIfBodyFollows()
            return
        }
        self.isHeadRequest = request.isHead
        self.expectsContinue = !endStream && headers["expect"].contains { $0.lowercased() == "100-continue" }
        if request.fieldCount > self.server.configuration.limits.headerFields {
            self.server.logger.debug(
                "refused HTTP/2 request: more than \(self.server.configuration.limits.headerFields) header fields")
            self.refuse(.requestHeaderFieldsTooLarge)
            self.resetIfBodyFollows()
            return
        }
        if let refusal = RequestHeadRules.refusal(of: request) {
            self.server.logger.debug("refused HTTP/2 request: \(refusal)")
            self.refuse(refusal.status)
            self.resetIfBodyFollows()
            return
        }
        if self.server.accessLog?.format.needsRequestFields == true {
            self.logFields = RequestLogFields(request, start: .now())
        }
        if let id = self.requestId ?? self.logFields?.requestId {
            self.logFields?.requestId = id
            self.core.logger[metadataKey: "request_id"] = "\(id)"
        }
        if let counters = self.counters {
            self.countedRequest = (request.method.withUnsafeBytes { MetricsLayout.methodIndex($0) }, .now())
            counters.requestStarted()
        }
        let connection = self.shared.connection
        let (environ, dropped) = RequestEnvironment.fill(
            self.core.arena, from: request, connection: connection, flags: self.server.requestFlags,
            forwardedBy: connection.isTrustedProxy ? self.server.configuration.forwardedAllowIPs : nil)
        if !dropped.isEmpty {
            self.server.logger.debug("dropped headers with '_' in their names: \(dropped)")
        }
        self.state = .calling
        if !endStream { self.armTick() }
        self.core.start(environ, hasBody: !endStream)
    }

    /// `--request-id`: keeps the client's `X-Request-Id` when `RequestLogFields.isRequestId`
    /// accepts it, else puts one of the connection's own in its place.
    private func assignRequestId(_ headers: inout HPACKHeaders) {
        if let incoming = headers.first(name: "x-request-id"), RequestLogFields.isRequestId(incoming.utf8) {
            self.requestId = incoming
            return
        }
        guard let id = self.shared.requestIds?.next() else { return }
        headers.remove(name: "x-request-id")
        headers.add(name: "x-request-id", value: id)
        self.requestId = id
    }

    /// Answers a request the server will not pass to the application, and counts the refusal.
    private func refuse(_ status: HTTPStatus) {
        self.refused(RefusalReason(status: status.code))
        self.sendError(status)
    }

    /// Counts a refusal: the request, if counted already, ends without a response of the
    /// application's.
    private func refused(_ reason: RefusalReason) {
        guard let counters = self.counters else { return }
        counters.refused(reason)
        if self.countedRequest.take() != nil { counters.requestEnded() }
    }

    /// After the server's own answer to a request whose body is still coming: the client may stop
    /// sending it (RFC 9113 §8.1).
    private func resetIfBodyFollows() {
        guard !self.requestBodyEnded else { return }
        self.send(.rstStream(.noError))
        self.flush()
    }

    private func endRequestBody() {
        guard !self.requestBodyEnded else { return }
        self.requestBodyEnded = true
        self.core.bodyEnded()
    }

    // MARK: Timeouts

    func armTick() {
        guard self.tick == nil, self.state != .done else { return }
        let eventLoop = self.core.eventLoop
        let stream = NIOLoopBound(self, eventLoop: eventLoop)
        self.tick = eventLoop.scheduleTask(in: BodyRateRule.tick) { stream.value.ticked() }
    }

    private func ticked() {
        self.tick = nil
        guard case .calling = self.state else { return }
        let configuration = self.server.configuration
        if let blockedSince = self.blockedSince, NIODeadline.now() - blockedSince >= configuration.sendTimeout {
            self.server.logger.debug(
                "the client opened no window for the response for --send-timeout \(configuration.sendTimeout.nanoseconds / 1_000_000_000) s: resetting the stream"
            )
            self.refused(.sendTimeout)
            self.reset()
            return
        }
        if !self.requestBodyEnded, self.heldBody.isEmpty {
            self.secondsWaitedForBody += 1
            let rule = BodyRateRule(bytesPerSecond: configuration.minBodyRate)
            if rule.isTooSlow(received: self.bodyBytesReceived, waitedSeconds: self.secondsWaitedForBody) {
                self.server.logger.debug(
                    "request body arrived slower than --min-body-rate \(configuration.minBodyRate) bytes/s (\(self.bodyBytesReceived) bytes in \(self.secondsWaitedForBody) s): resetting the stream"
                )
                self.refused(.bodyTimeout)
                if self.headSent {
                    self.reset()
                } else {
                    // The stream is done before the call hears of it, so that its failure, which
                    // may come at once, sends nothing more.
                    self.state = .done
                    self.core.disconnected()
                    self.sendError(.requestTimeout)
                    self.send(.rstStream(.noError))
                    self.flush()
                }
                return
            }
        }
        if !self.requestBodyEnded || self.blockedSince != nil { self.armTick() }
    }

    /// Ends the stream at once, and the call learns the client is gone.
    private func reset() {
        self.state = .done
        self.core.disconnected()
        self.send(.rstStream(.cancel))
        self.flush()
        self.recordAccess(status: self.statusCode, bytes: self.bodyBytesSent)
    }
}

import NIOCore
import NIOHTTP2

/// The graceful stop of an HTTP/2 connection (RFC 9113 §6.8): one GOAWAY that names the last
/// stream the server took, so that the client knows any later one was not processed and may send
/// it again, then the close once the streams in flight have finished. A connection with no stream
/// open for `--keep-alive-timeout` is stopped the same way, as an idle HTTP/1.1 connection is closed.
///
/// SwiftNIO's `NIOHTTP2ServerConnectionManagementHandler` stops with two GOAWAYs and a PING in
/// between, but SwiftNIO takes a connection that sent GOAWAY with no stream open as closed: the
/// client's next WINDOW_UPDATE or SETTINGS acknowledgement then fails it with a PROTOCOL_ERROR
/// GOAWAY that names every stream. A GOAWAY sent before the client's preface fails the same way,
/// so a stop asked for before the preface waits for it.
final class HTTP2GracefulStopHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private enum State {
        case serving
        case stopRequested
        case stopping
    }

    private var state = State.serving
    private var prefaceReceived = false
    /// The highest stream the client opened, and how many are open now.
    private var lastStreamID = HTTP2StreamID(0)
    private var openStreams = 0
    private var context: ChannelHandlerContext?
    private let idleTimeout: TimeAmount
    private var idleTimer: Scheduled<Void>?

    init(idleTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { self.armIdleTimer() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelIdleTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.armIdleTimer()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelIdleTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        context.fireChannelRead(data)
        guard !self.prefaceReceived, case .settings(.settings) = frame.payload else { return }
        self.prefaceReceived = true
        if case .stopRequested = self.state {
            // On the next tick, so that the streams that came with the preface are taken first.
            context.eventLoop.assumeIsolated().execute { self.stop() }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let created as NIOHTTP2StreamCreatedEvent:
            self.streamCreated(created.streamID)
        case is StreamClosedEvent:
            self.streamClosed()
        case is HTTP1ConnectionHandler.CloseWhenIdle:
            self.stopRequested()
            return
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func stopRequested() {
        guard case .serving = self.state else { return }
        self.state = .stopRequested
        if self.prefaceReceived { self.stop() }
    }

    private func stop() {
        guard case .stopRequested = self.state, let context else { return }
        self.state = .stopping
        let goAway = HTTP2Frame(
            streamID: .rootStream,
            payload: .goAway(lastStreamID: self.lastStreamID, errorCode: .noError, opaqueData: nil))
        context.writeAndFlush(self.wrapOutboundOut(goAway), promise: nil)
        if self.openStreams == 0 { context.close(promise: nil) }
    }

    private func streamCreated(_ id: HTTP2StreamID) {
        self.openStreams += 1
        self.lastStreamID = max(self.lastStreamID, id)
        self.cancelIdleTimer()
    }

    private func streamClosed() {
        self.openStreams -= 1
        if self.openStreams == 0 { self.armIdleTimer() }
        guard case .stopping = self.state, self.openStreams == 0, let context else { return }
        // On the next tick: the frame that ended the stream is written, but not flushed yet.
        context.eventLoop.assumeIsolated().execute { context.close(promise: nil) }
    }

    // MARK: The idle timeout

    private func armIdleTimer() {
        guard self.idleTimer == nil, case .serving = self.state, let context else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.idleTimer = context.eventLoop.scheduleTask(in: self.idleTimeout) { handler.value.idled() }
    }

    private func cancelIdleTimer() {
        self.idleTimer?.cancel()
        self.idleTimer = nil
    }

    /// No stream for the idle timeout: a stop, or, from a client that never sent its preface (and
    /// so cannot take a GOAWAY), the close.
    private func idled() {
        self.idleTimer = nil
        guard self.openStreams == 0, let context else { return }
        guard self.prefaceReceived else {
            context.close(promise: nil)
            return
        }
        self.stopRequested()
    }
}

import NIOCore

/// The connection-wide events an HTTP/2 connection needs, early in its pipeline: the client's
/// address from a PROXY protocol header (which passes before the protocol is known), and the
/// server's graceful stop (`CloseWhenIdle`), which `HTTP2GracefulStopHandler` turns into GOAWAY
/// and, once the streams in flight have finished, the close. Until the protocol is
/// known (the TLS handshake, ALPN, the first bytes) it holds the connection to `--header-timeout`.
/// It leaves the pipeline of a connection that turns out to be HTTP/1.
final class HTTP2EventHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let shared: HTTP2ConnectionState
    private let trusted: TrustedProxies
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    /// What passed before the protocol was chosen, for an HTTP/1.1 handler added after it.
    private var proxyHeader: ProxyProtocolHeader?
    private var stopRequested = false
    private var isChosen = false

    init(shared: HTTP2ConnectionState, trusting trusted: TrustedProxies, timeout: TimeAmount) {
        self.shared = shared
        self.trusted = trusted
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { self.armTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.armTimer(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.protocolChosen()
        self.context = nil
    }

    /// HTTP/1.1 was chosen: its handler, added after this one, hears the events it missed.
    func replayForHTTP1() {
        guard let context else { return }
        if let header = self.proxyHeader { context.fireUserInboundEventTriggered(header) }
        if self.stopRequested { context.fireUserInboundEventTriggered(HTTP1ConnectionHandler.CloseWhenIdle()) }
    }

    /// HTTP/2 was chosen and its handlers added: its own timers take over, and a graceful stop
    /// asked for while the protocol was unknown reaches them, so that the client hears GOAWAY.
    func replayForHTTP2() {
        self.protocolChosen()
        if self.stopRequested { self.context?.fireUserInboundEventTriggered(HTTP1ConnectionHandler.CloseWhenIdle()) }
    }

    private func protocolChosen() {
        self.isChosen = true
        self.timer?.cancel()
        self.timer = nil
    }

    private func armTimer(_ context: ChannelHandlerContext) {
        guard self.timer == nil, !self.isChosen else { return }
        let channel = context.channel
        self.timer = context.eventLoop.scheduleTask(in: self.timeout) { channel.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is HTTP1ConnectionHandler.CloseWhenIdle {
            self.stopRequested = true
        }
        if let header = event as? ProxyProtocolHeader {
            self.proxyHeader = header
            self.shared.connection = ConnectionInfo(
                local: header.destination ?? context.channel.localAddress,
                remote: header.source ?? context.channel.remoteAddress, urlScheme: self.shared.connection.urlScheme,
                trusting: self.trusted)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

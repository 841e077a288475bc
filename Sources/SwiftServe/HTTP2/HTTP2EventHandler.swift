import NIOCore

/// The connection-wide events an HTTP/2 connection needs, early in its pipeline: the client's
/// address from a PROXY protocol header (which passes before the protocol is known), and the
/// server's graceful stop (`CloseWhenIdle`), turned into SwiftNIO's quiesce event, on which the
/// connection sends GOAWAY, lets the streams in flight finish, and closes. It leaves the pipeline
/// of a connection that turns out to be HTTP/1.
final class HTTP2EventHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let shared: HTTP2ConnectionState
    private let trusted: TrustedProxies

    init(shared: HTTP2ConnectionState, trusting trusted: TrustedProxies) {
        self.shared = shared
        self.trusted = trusted
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is HTTP1ConnectionHandler.CloseWhenIdle {
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            return
        }
        if let header = event as? ProxyProtocolHeader {
            self.shared.connection = ConnectionInfo(
                local: header.destination ?? context.channel.localAddress,
                remote: header.source ?? context.channel.remoteAddress, urlScheme: self.shared.connection.urlScheme,
                trusting: self.trusted)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

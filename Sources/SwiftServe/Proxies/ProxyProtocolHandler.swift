import Logging
import NIOCore

/// First in the pipeline of a `--bind proxy:...` connection: reads the PROXY protocol header,
/// passes what it says on as a `ProxyProtocolHeader` event (the connection handler takes the
/// client's address from it), then the bytes after it, and leaves the pipeline.
///
/// The header is only believed from a peer `--forwarded-allow-ips` trusts; a connection from any
/// other peer, or one that does not start with a valid header, is closed without a response: it
/// is not HTTP the server could answer.
final class ProxyProtocolHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let trusted: TrustedProxies
    private let logger: Logger
    private var buffered: ByteBuffer?

    init(trusting trusted: TrustedProxies, logger: Logger) {
        self.trusted = trusted
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        guard self.trusted.trusts(peer: context.channel.remoteAddress) else {
            let peer = ConnectionInfo(local: nil, remote: context.channel.remoteAddress)
            self.logger.warning(
                "closed a connection to a PROXY protocol listener from \(peer.remoteAddr), which --forwarded-allow-ips does not trust"
            )
            context.close(promise: nil)
            return
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        if var buffered = self.buffered {
            buffered.writeBuffer(&bytes)
            bytes = buffered
        }
        switch ProxyProtocolHeader.parse(bytes.readableBytesView) {
        case .incomplete:
            self.buffered = bytes
        case .invalid(let reason):
            self.logger.debug("closed a connection to a PROXY protocol listener: \(reason)")
            self.buffered = nil
            context.close(promise: nil)
        case .header(let header, let length):
            self.buffered = nil
            bytes.moveReaderIndex(forwardBy: length)
            context.fireUserInboundEventTriggered(header)
            if bytes.readableBytes > 0 {
                context.fireChannelRead(self.wrapInboundOut(bytes))
            }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }
}

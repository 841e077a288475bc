import NIOCore

/// Sits before the HTTP parser and notes that bytes arrived, so that a header timeout can tell a
/// half-sent request head (answered 408) from an idle connection (closed silently).
final class ReadActivity: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Set on every read; cleared by the connection handler when a request head is complete.
    var sawBytes = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.sawBytes = true
        context.fireChannelRead(data)
    }
}

import NIOCore

/// Sits before the HTTP parser and notes that bytes arrived, so that a header timeout can tell a
/// half-sent request head (answered 408) from an idle connection (closed silently), and can give
/// a head that starts during a keep-alive wait the whole header timeout from its first byte.
final class ReadActivity: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Set on every read; cleared by the connection handler when a request head is complete.
    var sawBytes = false
    /// When the first read after `sawBytes` was cleared arrived.
    private(set) var firstByteTime = NIODeadline.distantPast

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !self.sawBytes {
            self.sawBytes = true
            self.firstByteTime = .now()
        }
        context.fireChannelRead(data)
    }
}

import NIOCore

/// Sits before the HTTP parser and notes that bytes arrived, so that a header timeout can tell a
/// half-sent request head (answered 408) from an idle connection (closed silently), and can give
/// a head that starts during a keep-alive wait the whole header timeout from its first byte; and
/// so that a graceful stop can tell a quiet connection from one whose client is sending.
final class ReadActivity: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Set on every read; cleared by the connection handler when a request head is complete.
    var sawBytes = false
    /// When the first read after `sawBytes` was cleared arrived.
    private(set) var firstByteTime = NIODeadline.distantPast
    /// The reads so far, so that a stop can tell whether a connection stayed quiet for a while.
    var reads = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !self.sawBytes {
            self.sawBytes = true
            self.firstByteTime = .now()
        }
        self.reads &+= 1
        context.fireChannelRead(data)
    }
}

import NIOCore

/// Counts the bytes an HTTP/2 connection reads and writes, where the HTTP/1.1 handler counts its
/// own: after TLS, so that both protocols count the same bytes (the frames, not their
/// encryption).
final class ByteCountingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let counters: RequestCounters

    init(counters: RequestCounters) {
        self.counters = counters
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.counters.received(self.unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.counters.sent(self.unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }
}

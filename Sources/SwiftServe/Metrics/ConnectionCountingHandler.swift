import NIOCore

/// Counts a connection open from the moment it is accepted until it is gone, whatever protocol
/// it turns out to speak: it sits first in the pipeline, before the PROXY header, TLS and the
/// choice between HTTP/1.1 and HTTP/2, so a connection that has sent nothing yet counts too.
final class ConnectionCountingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let counters: RequestCounters
    private var counted = false

    init(counters: RequestCounters) {
        self.counters = counters
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.counted = true
        self.counters.connectionOpened()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        guard self.counted else { return }
        self.counted = false
        self.counters.connectionClosed()
    }
}

import NIOCore
import NIOHTTP2

/// Serves the streams of one HTTP/2 connection: the last handler of its pipeline, after
/// `NIOHTTP2Handler`, which hands it every frame of every stream. Each stream is an `HTTP2Stream`
/// (one SSGI call) in a table rather than a child channel of its own: a request costs no channel,
/// pipeline or promise of its own, and the call cores of finished streams serve the next ones.
///
/// It does for the streams what SwiftNIO's multiplexer would: opens the receive windows as the
/// applications take the bytes (the connection's, and each stream's through `HTTP2Stream`).
/// Like a child channel, it holds the streams' frames until they flush, and the flushes of a read
/// until its end: `NIOHTTP2Handler` never holds a frame written and not flushed, which its
/// buffers do not allow for while the connection is not writable.
final class HTTP2ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    /// Call cores kept for later streams, at most: beyond, a finished stream's core is dropped.
    private static let spareCoreLimit = 32

    private let server: ServerContext
    private let shared: HTTP2ConnectionState
    private var context: ChannelHandlerContext?
    /// What the connection's streams count, with `--metrics-bind`: the row of its event loop.
    private var counters: RequestCounters?
    private var streams: [HTTP2StreamID: HTTP2Stream] = [:]
    private var spareCores: [CallCore] = []
    private var window = HTTP2InboundWindow(target: ConnectionPipeline.http2ConnectionWindow)
    /// The streams' frames not flushed yet, and whether a flush waits for the end of the read.
    private var pendingWrites: [(frame: HTTP2Frame, promise: EventLoopPromise<Void>?)] = []
    private var isReading = false
    private var flushPending = false
    private var isFlushing = false

    init(server: ServerContext, shared: HTTP2ConnectionState) {
        self.server = server
        self.shared = shared
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.counters = self.server.counters?.counters(for: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.closeAll()
        self.context = nil
        self.failPendingWrites()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closeAll()
        self.failPendingWrites()
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.isReading = false
        if self.flushPending {
            self.flushPending = false
            self.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.isReading = true
        let frame = self.unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let headers):
            if let stream = self.streams[frame.streamID] {
                stream.receivedHeaders(headers)
            } else if frame.streamID != .rootStream {
                let stream = HTTP2Stream(
                    id: frame.streamID, connection: self, core: self.makeCore(context), server: self.server,
                    shared: self.shared, counters: self.counters)
                self.streams[frame.streamID] = stream
                stream.receivedHeaders(headers)
            }
        case .data(let data):
            self.streams[frame.streamID]?.receivedData(data)
        case .rstStream:
            self.streams[frame.streamID]?.receivedReset()
        default:
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let event as NIOHTTP2WindowUpdatedEvent:
            guard let size = event.inboundWindowSize else { return }
            if event.streamID == .rootStream {
                if let increment = self.window.changed(to: size) {
                    self.write(.windowUpdate(windowSizeIncrement: increment), on: .rootStream)
                    self.flush()
                }
            } else {
                self.streams[event.streamID]?.inboundWindowChanged(to: size)
            }
        case let event as StreamClosedEvent:
            if let stream = self.streams.removeValue(forKey: event.streamID) { self.retire(stream) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOHTTP2Errors.StreamError, let stream = self.streams[error.streamID] {
            stream.failed(error)
        } else {
            self.server.logger.debug("HTTP/2 connection error: \(error)")
        }
    }

    // MARK: For the streams

    var allocator: ByteBufferAllocator { self.context?.channel.allocator ?? ByteBufferAllocator() }

    /// Writes `payload` on stream `id` with the next `flush()`; a no-op once the connection is gone.
    func write(_ payload: HTTP2Frame.FramePayload, on id: HTTP2StreamID, promise: EventLoopPromise<Void>? = nil) {
        guard self.context != nil else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        self.pendingWrites.append((HTTP2Frame(streamID: id, payload: payload), promise))
    }

    /// Sends the frames written: at once, or at the end of the read in progress.
    func flush() {
        guard !self.isReading else {
            self.flushPending = true
            return
        }
        guard let context, !self.isFlushing, !self.pendingWrites.isEmpty else { return }
        // A write may make a stream write more (as it closes): those go out in the same flush.
        self.isFlushing = true
        var index = 0
        while index < self.pendingWrites.count {
            let write = self.pendingWrites[index]
            index += 1
            if case .windowUpdate = write.frame.payload, write.frame.streamID != .rootStream,
                self.streams[write.frame.streamID]?.isReceiving != true
            {
                // The client ended the stream (or it closed) since: no window to open.
                continue
            }
            context.write(self.wrapOutboundOut(write.frame), promise: write.promise)
        }
        self.pendingWrites.removeAll(keepingCapacity: true)
        self.isFlushing = false
        context.flush()
    }

    private func failPendingWrites() {
        let writes = self.pendingWrites
        self.pendingWrites.removeAll()
        for write in writes { write.promise?.fail(ChannelError.ioOnClosedChannel) }
    }

    /// A promise on the connection's event loop, for a stream to learn when its bytes left.
    func makePromise() -> EventLoopPromise<Void>? {
        self.context?.eventLoop.makePromise(of: Void.self)
    }

    // MARK: Streams and their cores

    private func makeCore(_ context: ChannelHandlerContext) -> CallCore {
        if let core = self.spareCores.popLast() {
            core.logger = self.server.logger
            return core
        }
        return CallCore(
            application: self.server.application, eventLoop: context.eventLoop, allocator: context.channel.allocator,
            bodyLimit: self.server.configuration.limits.bodyBuffer, heldRequests: self.server.heldRequests,
            logger: self.server.logger)
    }

    /// A stream closed: its call learns it, and its core serves a later stream once the call has
    /// finished.
    private func retire(_ stream: HTTP2Stream) {
        let core = stream.closed()
        if !core.isCalling, self.spareCores.count < Self.spareCoreLimit { self.spareCores.append(core) }
    }

    private func closeAll() {
        let streams = self.streams
        self.streams.removeAll()
        self.spareCores.removeAll()
        for stream in streams.values { _ = stream.closed() }
    }
}

import NIOCore

/// Tells an HTTP/2 connection with prior knowledge (h2c) from an HTTP/1 one on a plain bind: the
/// first bytes either are the HTTP/2 connection preface (RFC 9113 §3.4) or stop matching it,
/// which for an HTTP/1 request happens at its first byte or, for `PRI`, its fifth. It then puts the
/// handlers for that protocol in its place and hands them the bytes it held.
final class HTTP2PrefaceDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private var held: ByteBuffer?
    private let configure: (_ http2: Bool, _ channel: any Channel) throws -> Void

    /// `configure` adds the handlers for HTTP/2 (`http2`) or HTTP/1 at the end of the pipeline.
    init(configure: @escaping (_ http2: Bool, _ channel: any Channel) throws -> Void) {
        self.configure = configure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        if var held = self.held.take() {
            held.writeBuffer(&bytes)
            bytes = held
        }
        let count = min(bytes.readableBytes, Self.preface.count)
        let matches = bytes.withUnsafeReadableBytes { $0.prefix(count).elementsEqual(Self.preface.prefix(count)) }
        if matches, count < Self.preface.count {
            self.held = bytes
            return
        }
        do {
            try self.configure(matches, context.channel)
        } catch {
            context.fireErrorCaught(error)
            return
        }
        context.fireChannelRead(self.wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

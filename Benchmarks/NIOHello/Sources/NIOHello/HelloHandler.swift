import Foundation
import NIOCore
import NIOHTTP1

/// Answers each request once its end arrives: a head, one body part, and the end, flushed.
final class HelloHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let plaintext = ByteBuffer(string: "Hello world from a simple SSGI application!\n")
    private static let bytes = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)

    private var head: HTTPRequestHead?
    private var echoed: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.echoed = head.uri == "/echo" ? context.channel.allocator.buffer(capacity: 0) : nil
        case .body(var chunk):
            self.echoed?.writeBuffer(&chunk)
        case .end:
            guard let head = self.head else { return }
            let (contentType, body): (String, ByteBuffer)
            switch head.uri {
            case "/json":
                let json = (try? JSONEncoder().encode(Message(message: "Hello, World!"))) ?? Data()
                (contentType, body) = ("application/json", ByteBuffer(bytes: json))
            case "/bytes": (contentType, body) = ("application/octet-stream", Self.bytes)
            case "/echo": (contentType, body) = ("application/octet-stream", self.echoed ?? ByteBuffer())
            default: (contentType, body) = ("text/plain", Self.plaintext)
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(body.readableBytes))
            let response = HTTPResponseHead(
                version: head.version, status: .ok, headers: headers)
            context.write(self.wrapOutboundOut(.head(response)), promise: nil)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            self.head = nil
            self.echoed = nil
        }
    }
}

/// The JSON body, encoded for every request as the other servers do.
struct Message: Encodable {
    let message: String
}

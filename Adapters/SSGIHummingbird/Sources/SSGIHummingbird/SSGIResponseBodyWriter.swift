import HTTPTypes
import Hummingbird
import NIOCore
import SSGI

/// A Hummingbird `ResponseBodyWriter` that writes to the SDK's `ResponseWriter`: each buffer is
/// copied to the server, and `write` returns when the server can take more.
///
/// SSGI 1.0 has no trailers: trailing headers given to `finish` are not sent.
struct SSGIResponseBodyWriter: ResponseBodyWriter {
    let writer: SSGI.ResponseWriter

    init(_ writer: SSGI.ResponseWriter) {
        self.writer = writer
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return }
        try await self.writer.write(Array(buffer.readableBytesView))
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

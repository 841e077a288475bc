import NIOCore
import SSGI

/// Reads `ssgi.input` into one buffer, as Vapor's `body: .collect` does, stopping at a limit.
///
/// Vapor 4 can make a streaming request body (`Request.BodyStream`) only inside its own HTTP server:
/// the type and `Request`'s body storage are internal. So the adapter hands every route, `.stream`
/// routes included, a collected body, which they read as one chunk. A declared Content-Length over
/// the limit is refused before any byte is read, so a client that sent `Expect: 100-continue`
/// never gets `100 Continue` and need not send the body.
enum RequestBodyCollector {
    /// The whole body, nil when it is empty; throws `RequestBodyTooLarge` past `limit` bytes.
    static func collect(_ environ: Environ, limit: Int) async throws -> ByteBuffer? {
        // A request without a body (most GETs) costs no iterator and no buffer.
        if environ.input.isKnownEmpty { return nil }
        if let declared = environ.contentLength {
            guard declared <= limit else { throw RequestBodyTooLarge() }
            guard declared > 0 else { return nil }
        }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(environ.contentLength ?? 0)
        for try await chunk in environ.input {
            guard buffer.readableBytes + chunk.count <= limit else { throw RequestBodyTooLarge() }
            buffer.writeBytes(chunk)
        }
        return buffer.readableBytes == 0 ? nil : buffer
    }
}

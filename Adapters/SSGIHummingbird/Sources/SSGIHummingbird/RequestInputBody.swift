import NIOCore
import SSGI

/// `ssgi.input` as the asynchronous sequence of buffers a Hummingbird `RequestBody` streams.
///
/// Each `next()` is one read from the server, made only when the route asks for the next buffer:
/// nothing is read ahead, so a route that never reads the body never makes the server read it (nor
/// send `100 Continue`), and a route that reads slowly slows the client down through the server's
/// back-pressure. Like Hummingbird's own request body, it can be iterated once.
struct RequestInputBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let input: RequestInput

    init(_ input: RequestInput) {
        self.input = input
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let input: RequestInput
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !self.finished else { return nil }
            let chunk: [UInt8] = try await self.input.read()
            if chunk.isEmpty {
                self.finished = true
                return nil
            }
            return ByteBuffer(bytes: chunk)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(input: self.input)
    }
}

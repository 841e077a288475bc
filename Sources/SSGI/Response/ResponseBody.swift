/// What an application returns: the response body after `startResponse`.
///
/// Like a WSGI iterable it is either a list of chunks known in advance (`["Hello\n"]`), or a
/// stream that produces chunks while the response is sent, with back-pressure.
public struct ResponseBody: Sendable, ExpressibleByArrayLiteral, ExpressibleByStringLiteral {
    @usableFromInline
    enum Storage: Sendable {
        case chunks([BodyChunk])
        case stream(@Sendable (ResponseWriter) async throws -> Void)
    }

    @usableFromInline
    var storage: Storage
    /// Called once the server is done with the response (PEP 3333's `close()`); the argument tells
    /// whether the whole response reached the client.
    @usableFromInline
    var cleanup: (@Sendable (_ delivered: Bool) -> Void)?

    @inlinable
    init(storage: Storage) {
        self.storage = storage
        self.cleanup = nil
    }

    // The initializers from chunks are inlinable so that a body of literals (`["Hello\n"]`) is a
    // constant the compiler lays out once, not an array built for every request.

    /// A body made of chunks already in memory.
    @inlinable
    public init(chunks: [BodyChunk]) {
        self.init(storage: .chunks(chunks))
    }

    @inlinable
    public init(arrayLiteral elements: BodyChunk...) {
        self.init(chunks: elements)
    }

    @inlinable
    public init(stringLiteral value: String) {
        self.init(chunks: [BodyChunk(value)])
    }

    /// A body of one string, sent as UTF-8.
    public static func string(_ string: String) -> ResponseBody {
        ResponseBody(chunks: [BodyChunk(string)])
    }

    /// A body of bytes.
    public static func bytes(_ bytes: [UInt8]) -> ResponseBody {
        ResponseBody(chunks: [BodyChunk(bytes)])
    }

    /// No body.
    public static var empty: ResponseBody { ResponseBody(chunks: []) }

    /// A body produced while it is sent: `produce` writes chunks with the writer, each `write`
    /// returning when the server can take more.
    public static func stream(_ produce: @escaping @Sendable (ResponseWriter) async throws -> Void) -> ResponseBody {
        ResponseBody(storage: .stream(produce))
    }

    /// A body streamed from an asynchronous sequence of byte chunks.
    public static func stream<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks
    ) -> ResponseBody where Chunks.Element == [UInt8] {
        .stream { writer in
            for try await chunk in chunks {
                try await writer.write(chunk)
            }
        }
    }

    /// The same body, with `cleanup` called once the server is done with the response.
    public func onCleanup(_ cleanup: @escaping @Sendable (_ delivered: Bool) -> Void) -> ResponseBody {
        var body = self
        body.cleanup = cleanup
        return body
    }
}

/// `ssgi.input`: the request body, read in chunks as it arrives from the client.
///
/// Reading applies back-pressure: the server stops reading from the socket while the chunks it
/// holds are unread. A read that returns an empty array marks the end of the body. One reader at a
/// time; the body can be read once.
public final class RequestInput: @unchecked Sendable {
    enum Source {
        case server(ServerCall)
        case memory([UInt8], offset: Int)
    }

    private var source: Source

    /// The body of the request `call` serves; `bodyLength` is the request's (`-1` when chunked).
    /// A request that has no body is read as the empty body it is, without asking the server.
    init(call: ServerCall, bodyLength: Int64) {
        self.source = bodyLength == 0 ? .memory([], offset: 0) : .server(call)
    }

    /// The body of the request `call` serves: for a request without one, the one instance that
    /// serves them all (reading it changes nothing), so that such a request allocates none.
    static func of(call: ServerCall, bodyLength: Int64) -> RequestInput {
        bodyLength == 0 ? Self.empty : RequestInput(call: call, bodyLength: bodyLength)
    }

    private static let empty = RequestInput(bytes: [])

    /// A body held in memory, for tests and for frameworks that call applications directly.
    public init(bytes: [UInt8]) {
        self.source = .memory(bytes, offset: 0)
    }

    /// Whether the body is known to hold no more bytes without reading it: the request has none
    /// (no Content-Length or `Content-Length: 0`, and no chunked coding), or a body in memory was
    /// read to its end. A framework that answers requests without a body at once, without
    /// awaiting a read, checks this first.
    public var isKnownEmpty: Bool {
        switch self.source {
        case .server: false
        case .memory(let bytes, let offset): offset >= bytes.count
        }
    }

    /// The server's call the body is read from; nil for a body in memory.
    var serverCall: ServerCall? {
        if case .server(let call) = self.source { return call }
        return nil
    }

    /// The default size of one read.
    public static let defaultChunkSize = 64 * 1024

    /// Reads up to `maxLength` bytes; returns an empty array at the end of the body.
    // Not inlined into `readAll(limit:)`: Swift 6.3's optimizer crashes splitting that coroutine
    // when it is.
    @inline(never)
    public func read(maxLength: Int = RequestInput.defaultChunkSize) async throws -> [UInt8] {
        switch self.source {
        case .server(let call):
            return try await call.read(maxLength: maxLength).get()
        case .memory:
            return self.readMemory(maxLength: maxLength)
        }
    }

    /// Reads up to `maxLength` bytes, blocking the calling thread; returns an empty array at the end.
    ///
    /// Only applications that run on a thread pool may block: an inline application must use the
    /// asynchronous `read`, or its I/O thread would wait for itself.
    public func read(maxLength: Int = RequestInput.defaultChunkSize) throws -> [UInt8] {
        switch self.source {
        case .server(let call):
            guard call.mayBlock else {
                throw SSGIError("a blocking read of ssgi.input is not allowed in an inline application")
            }
            return try call.readBlocking(maxLength: maxLength).get()
        case .memory:
            return self.readMemory(maxLength: maxLength)
        }
    }

    /// Reads the whole body; throws `RequestBodyTooLarge` when it is longer than `limit` bytes.
    public func readAll(limit: Int = .max) async throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let chunk = try await self.read()
            if chunk.isEmpty { return body }
            guard body.count + chunk.count <= limit else {
                throw RequestBodyTooLarge(limit: limit)
            }
            body += chunk
        }
    }

    /// Reads the whole body, blocking the calling thread; throws `RequestBodyTooLarge` when it is
    /// longer than `limit` bytes.
    public func readAll(limit: Int = .max) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let chunk: [UInt8] = try self.read()
            if chunk.isEmpty { return body }
            guard body.count + chunk.count <= limit else {
                throw RequestBodyTooLarge(limit: limit)
            }
            body += chunk
        }
    }

    private func readMemory(maxLength: Int) -> [UInt8] {
        // At the end nothing is written, so that the shared empty body is never written at all.
        guard case .memory(let bytes, let offset) = self.source, offset < bytes.count else { return [] }
        let end = Swift.min(bytes.count, offset + Swift.max(maxLength, 1))
        self.source = .memory(bytes, offset: end)
        return Array(bytes[offset..<end])
    }
}

extension RequestInput: AsyncSequence {
    public typealias Element = [UInt8]

    /// Iterates over the body's chunks as they arrive.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let input: RequestInput

        public mutating func next() async throws -> [UInt8]? {
            let chunk = try await self.input.read()
            return chunk.isEmpty ? nil : chunk
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(input: self)
    }
}

import CSSGI
import Testing

@testable import SSGI

/// `ssgi.input` over a body held in memory.
@Suite("RequestInput")
struct RequestInputTests {
    static let body = Array("hello, world".utf8)

    @Test("a read returns at most maxLength bytes, then an empty array at the end")
    func chunkedReads() async throws {
        let input = RequestInput(bytes: Self.body)
        var chunks: [[UInt8]] = []
        while true {
            let chunk = try await input.read(maxLength: 5)
            if chunk.isEmpty { break }
            chunks.append(chunk)
        }
        #expect(chunks == [Array("hello".utf8), Array(", wor".utf8), Array("ld".utf8)])
        #expect(try await input.read(maxLength: 5) == [])
    }

    @Test("a blocking read returns at most maxLength bytes, then an empty array at the end")
    func blockingChunkedReads() throws {
        let input = RequestInput(bytes: Self.body)
        let first: [UInt8] = try input.read(maxLength: 7)
        let second: [UInt8] = try input.read(maxLength: 7)
        let end: [UInt8] = try input.read(maxLength: 7)
        #expect(first == Array("hello, ".utf8))
        #expect(second == Array("world".utf8))
        #expect(end == [])
    }

    @Test("an empty body reads as an empty array at once")
    func emptyBody() async throws {
        let input = RequestInput(bytes: [])
        #expect(try await input.read() == [])
    }

    @Test("an in-memory body is known empty when it has no bytes, or once they are read")
    func knownEmpty() async throws {
        #expect(RequestInput(bytes: []).isKnownEmpty)
        let input = RequestInput(bytes: Self.body)
        #expect(!input.isKnownEmpty)
        _ = try await input.readAll()
        #expect(input.isKnownEmpty)
    }

    @Test("readAll returns the whole body")
    func readAll() async throws {
        let large = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        #expect(try await RequestInput(bytes: large).readAll() == large)
        #expect(try await RequestInput(bytes: Self.body).readAll(limit: Self.body.count) == Self.body)
    }

    @Test("the blocking readAll returns the whole body")
    func readAllBlocking() throws {
        let large = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        let all: [UInt8] = try RequestInput(bytes: large).readAll()
        #expect(all == large)
        let limited: [UInt8] = try RequestInput(bytes: Self.body).readAll(limit: Self.body.count)
        #expect(limited == Self.body)
    }

    @Test("readAll(limit:) throws when the body is longer than the limit")
    func readAllLimit() async throws {
        await #expect(throws: RequestBodyTooLarge(limit: Self.body.count - 1)) {
            try await RequestInput(bytes: Self.body).readAll(limit: Self.body.count - 1)
        }
    }

    @Test("the blocking readAll(limit:) throws when the body is longer than the limit")
    func readAllLimitBlocking() throws {
        #expect(throws: RequestBodyTooLarge(limit: Self.body.count - 1)) {
            let _: [UInt8] = try RequestInput(bytes: Self.body).readAll(limit: Self.body.count - 1)
        }
    }

    @Test("iterating the input yields every chunk, in order, and nothing after the end")
    func asyncSequence() async throws {
        let size = 2 * RequestInput.defaultChunkSize + 100
        let large = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var chunks: [[UInt8]] = []
        for try await chunk in RequestInput(bytes: large) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.count) == [RequestInput.defaultChunkSize, RequestInput.defaultChunkSize, 100])
        #expect(Array(chunks.joined()) == large)
    }
}

/// `ssgi.input` over a request the server serves, through the C operations.
@Suite("RequestInput from the server")
struct ServerRequestInputTests {
    /// Counts the `read` operations that reach the server; any other operation is unused here.
    nonisolated(unsafe) static var reads = 0

    nonisolated(unsafe) static let ops: UnsafePointer<ssgi_server_ops> = {
        let ops = UnsafeMutablePointer<ssgi_server_ops>.allocate(capacity: 1)
        ops.initialize(to: table)
        return UnsafePointer(ops)
    }()

    static let table = ssgi_server_ops(
        struct_size: MemoryLayout<ssgi_server_ops>.size,
        start_response: { _, _, _, _, _ in Int32(SSGI_OK) },
        write: { _, _, _, _ in Int32(SSGI_OK) },
        read: { _, _, done, context in
            ServerRequestInputTests.reads += 1
            done?(context, ssgi_bytes(data: nil, length: 0), Int32(SSGI_OK))
            return Int32(SSGI_OK)
        },
        finish: { _, _, _, _ in Int32(SSGI_OK) },
        log_error: { _, _ in })

    @Test("a request whose body length is 0 is read as empty without asking the server")
    func noBodyNoRead() async throws {
        let call = ServerCall(call: OpaquePointer(bitPattern: 1)!, ops: Self.ops, mayBlock: false)
        Self.reads = 0
        let input = RequestInput(call: call, bodyLength: 0)
        #expect(try await input.read() == [])
        #expect(try await input.readAll() == [])
        #expect(Self.reads == 0)
        let chunked = RequestInput(call: call, bodyLength: -1)
        #expect(try await chunked.read() == [])
        #expect(Self.reads == 1)
    }

    @Test("only a request whose body length is 0 is known empty without reading")
    func knownEmptyFromServer() {
        let call = ServerCall(call: OpaquePointer(bitPattern: 1)!, ops: Self.ops, mayBlock: false)
        #expect(RequestInput(call: call, bodyLength: 0).isKnownEmpty)
        #expect(!RequestInput(call: call, bodyLength: -1).isKnownEmpty)
        #expect(!RequestInput(call: call, bodyLength: 5).isKnownEmpty)
    }
}

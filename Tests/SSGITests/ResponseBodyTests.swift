import SwiftServeTesting
import Testing

@testable import SSGI

/// What an application returns: chunks known in advance, or a stream.
@Suite("ResponseBody")
struct ResponseBodyTests {
    static func chunks(of body: ResponseBody) -> [[UInt8]]? {
        guard case .chunks(let chunks) = body.storage else { return nil }
        return chunks.map(\.bytes)
    }

    @Test("an array literal mixes strings and bytes, in order")
    func arrayLiteral() {
        let body: ResponseBody = ["ab", BodyChunk([1, 2]), "é"]
        #expect(Self.chunks(of: body) == [[0x61, 0x62], [1, 2], [0xC3, 0xA9]])
        #expect(body.cleanup == nil)
    }

    @Test("a string literal is one UTF-8 chunk")
    func stringLiteral() {
        let body: ResponseBody = "Hello\n"
        #expect(Self.chunks(of: body) == [Array("Hello\n".utf8)])
    }

    @Test(".string and .bytes are one chunk each")
    func factories() {
        #expect(Self.chunks(of: .string("hi")) == [Array("hi".utf8)])
        #expect(Self.chunks(of: .bytes([0, 255])) == [[0, 255]])
    }

    @Test(".empty has no chunks")
    func empty() {
        #expect(Self.chunks(of: .empty) == [])
    }

    @Test(".stream stores the producer, which writes through the writer it is given")
    func stream() async throws {
        let body = ResponseBody.stream { writer in
            try await writer.write("one")
            try await writer.write([2])
        }
        guard case .stream(let produce) = body.storage else {
            Issue.record("a .stream body is not stored as a stream")
            return
        }
        let written = Locked<[[UInt8]]>([])
        let writer = ResponseWriter(
            write: { bytes in written.withLock { $0.append(bytes) } },
            writeBlocking: { _ in Issue.record("the async write used the blocking path") })
        try await produce(writer)
        #expect(written.value == [Array("one".utf8), [2]])
    }

    @Test(".stream of an async sequence writes each of its elements")
    func streamOfSequence() async throws {
        let body = ResponseBody.stream(RequestInput(bytes: Array("abc".utf8)))
        guard case .stream(let produce) = body.storage else {
            Issue.record("a .stream body is not stored as a stream")
            return
        }
        let written = Locked<[UInt8]>([])
        try await produce(
            ResponseWriter(
                write: { bytes in written.withLock { $0 += bytes } },
                writeBlocking: { _ in Issue.record("the async write used the blocking path") }))
        #expect(written.value == Array("abc".utf8))
    }

    @Test("onCleanup keeps the storage and sets the cleanup")
    func onCleanup() throws {
        let delivered = Locked<[Bool]>([])
        let original: ResponseBody = ["a", "b"]
        let body = original.onCleanup { ok in delivered.withLock { $0.append(ok) } }
        #expect(Self.chunks(of: body) == [[0x61], [0x62]])
        #expect(original.cleanup == nil)
        let cleanup = try #require(body.cleanup)
        cleanup(false)
        cleanup(true)
        #expect(delivered.value == [false, true])
    }
}

import Testing

@testable import SwiftServe

/// What a worker tells its master over the control pipe.
@Suite("WorkerMessage")
struct WorkerMessageTests {
    @Test("every message decodes to itself")
    func roundTrip() {
        let messages: [WorkerMessage] = [.heartbeat, .ready, .retiring, .bootFailed("no such file 'x.so'"), .heartbeat]
        var decoder = WorkerMessageDecoder()
        #expect(decoder.decode(messages.flatMap(\.encoded)) == messages)
    }

    @Test("a message split across reads decodes once it is whole")
    func split() {
        let bytes = WorkerMessage.bootFailed("the database is unreachable").encoded + WorkerMessage.ready.encoded
        var decoder = WorkerMessageDecoder()
        #expect(decoder.decode(bytes[..<10]).isEmpty)
        #expect(decoder.decode(bytes[10...]) == [.bootFailed("the database is unreachable"), .ready])
    }

    @Test("a boot failure stays one line, within PIPE_BUF")
    func oneLine() {
        let encoded = WorkerMessage.bootFailed("first\nsecond\r\n" + String(repeating: "x", count: 10_000)).encoded
        #expect(encoded.count <= 4096)
        var decoder = WorkerMessageDecoder()
        let decoded = decoder.decode(encoded)
        guard case .bootFailed(let text) = decoded.first else {
            Issue.record("decoded \(decoded)")
            return
        }
        #expect(text.hasPrefix("first second  xxx"))
        #expect(!text.contains("\n"))
    }
}

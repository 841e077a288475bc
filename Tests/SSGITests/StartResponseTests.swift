import SwiftServeTesting
import Testing

@testable import SSGI

struct Marker: Error, Equatable {
    var tag: String
}

/// Custom start_response and writer backends, as middleware and tests use them.
@Suite("StartResponse and ResponseWriter")
struct StartResponseTests {
    struct Call: Sendable {
        var status: String
        var headers: [[String]]
        var error: Marker?
        var hadError: Bool
    }

    static func recording(_ calls: Locked<[Call]>, writes: Locked<[[UInt8]]>) -> StartResponse {
        StartResponse { status, headers, errorInfo in
            calls.withLock {
                $0.append(
                    Call(
                        status: status, headers: headers.map { [$0.name, $0.value] },
                        error: errorInfo as? Marker, hadError: errorInfo != nil))
            }
            return ResponseWriter(
                write: { bytes in writes.withLock { $0.append(bytes) } },
                writeBlocking: { bytes in writes.withLock { $0.append(bytes) } })
        }
    }

    @Test("a custom start_response receives the status and headers, and no error info by default")
    func passesArguments() {
        let calls = Locked<[Call]>([])
        let writes = Locked<[[UInt8]]>([])
        let startResponse = Self.recording(calls, writes: writes)
        startResponse("404 Not Found", [("Content-Type", "text/plain"), ("X-A", "1")])
        let recorded = calls.value
        #expect(recorded.count == 1)
        #expect(recorded.first?.status == "404 Not Found")
        #expect(recorded.first?.headers == [["Content-Type", "text/plain"], ["X-A", "1"]])
        #expect(recorded.first?.hadError == false)
    }

    @Test("a custom start_response receives the error info when given")
    func passesErrorInfo() {
        let calls = Locked<[Call]>([])
        let writes = Locked<[[UInt8]]>([])
        let startResponse = Self.recording(calls, writes: writes)
        startResponse("500 Internal Server Error", [], errorInfo: Marker(tag: "boom"))
        let recorded = calls.value
        #expect(recorded.first?.hadError == true)
        #expect(recorded.first?.error == Marker(tag: "boom"))
    }

    @Test("start_response returns the writer the custom handler made")
    func returnsHandlersWriter() async throws {
        let calls = Locked<[Call]>([])
        let writes = Locked<[[UInt8]]>([])
        let write = Self.recording(calls, writes: writes)("200 OK", [])
        try await write.write("body")
        #expect(writes.value == [Array("body".utf8)])
    }

    @Test("an awaited write of a string goes to the async closure as UTF-8")
    func asyncWrite() async throws {
        let asyncWrites = Locked<[[UInt8]]>([])
        let blockingWrites = Locked<[[UInt8]]>([])
        let writer = ResponseWriter(
            write: { bytes in asyncWrites.withLock { $0.append(bytes) } },
            writeBlocking: { bytes in blockingWrites.withLock { $0.append(bytes) } })
        try await writer.write("héllo")
        try await writer.write([1, 2, 3])
        #expect(asyncWrites.value == [Array("héllo".utf8), [1, 2, 3]])
        #expect(blockingWrites.value == [])
    }

    @Test("a synchronous write of a string goes to the blocking closure as UTF-8")
    func blockingWrite() throws {
        let asyncWrites = Locked<[[UInt8]]>([])
        let blockingWrites = Locked<[[UInt8]]>([])
        let writer = ResponseWriter(
            write: { bytes in asyncWrites.withLock { $0.append(bytes) } },
            writeBlocking: { bytes in blockingWrites.withLock { $0.append(bytes) } })
        try writer.write("héllo")
        try writer.write([1, 2, 3])
        #expect(blockingWrites.value == [Array("héllo".utf8), [1, 2, 3]])
        #expect(asyncWrites.value == [])
    }

    @Test("an error thrown by a custom writer reaches the caller")
    func writerErrors() async {
        let writer = ResponseWriter(
            write: { _ in throw SSGIError.disconnected },
            writeBlocking: { _ in throw Marker(tag: "blocking") })
        await #expect(throws: SSGIError.disconnected) { try await writer.write("x") }
        #expect(throws: Marker(tag: "blocking")) { try writer.write("x") }
    }
}

import SwiftServeTesting
import Testing

@testable import SSGI

/// A response held in memory, sent by the rules of the specification.
@Suite("BufferedResponse")
struct BufferedResponseTests {
    private static func send(_ response: BufferedResponse, errors: Locked<[String]>) async throws
        -> CapturedResponse
    {
        let app: SyncApplication = { environ, startResponse in
            response.send(startResponse, errors: environ.errors, framework: "Test")
        }
        return try await callApplication(
            app,
            Environ(
                errors: ErrorStream {
                    let message = $0; errors.withLock { $0.append(message) }
                }))
    }

    @Test("Content-Length comes from the body, and a missing Content-Type becomes octet-stream")
    func contentLength() async throws {
        let errors = Locked<[String]>([])
        let response = try await Self.send(
            BufferedResponse(status: .created, headers: ["Content-Length": "99"], body: Array("hello".utf8)),
            errors: errors)
        #expect(response.status == "201 Created")
        #expect(response.header("Content-Length") == "5")
        #expect(response.header("Content-Type") == "application/octet-stream")
        #expect(response.text == "hello")
    }

    @Test("a Content-Length the response gives keeps its place, once, with the body's length")
    func contentLengthInPlace() async throws {
        let errors = Locked<[String]>([])
        let response = try await Self.send(
            BufferedResponse(
                headers: HeaderFields([
                    ("X-A", "1"), ("Content-Length", "99"), ("Content-Type", "text/plain"), ("content-length", "7"),
                ]),
                body: Array("hello".utf8)),
            errors: errors)
        #expect(response.headers.map(\.name) == ["X-A", "Content-Length", "Content-Type"])
        #expect(response.header("Content-Length") == "5")
    }

    @Test("a string body is sent as its UTF-8, and counted in bytes")
    func stringContent() async throws {
        let errors = Locked<[String]>([])
        let response = try await Self.send(
            BufferedResponse(headers: ["Content-Type": "text/plain; charset=utf-8"], content: BodyChunk("grüß\n")),
            errors: errors)
        #expect(response.header("Content-Length") == "7")
        #expect(response.text == "grüß\n")
    }

    @Test("hop-by-hop headers are dropped, each logged once")
    func hopByHop() async throws {
        let errors = Locked<[String]>([])
        let response = try await Self.send(
            BufferedResponse(
                headers: ["Connection": "close", "connection": "x", "Transfer-Encoding": "chunked", "X-Kept": "yes"],
                body: []),
            errors: errors)
        #expect(response.header("Connection") == nil)
        #expect(response.header("Transfer-Encoding") == nil)
        #expect(response.header("X-Kept") == "yes")
        #expect(errors.value.count == 2)
        #expect(errors.value.allSatisfy { $0.hasPrefix("Test: dropped the hop-by-hop header") })
    }

    @Test("204 and 304 carry no body and no Content-Type; 304 keeps its Content-Length")
    func statusesWithoutBody() async throws {
        let errors = Locked<[String]>([])
        let noContent = try await Self.send(
            BufferedResponse(status: .noContent, headers: ["Content-Type": "text/plain"], body: [1, 2]),
            errors: errors)
        #expect(noContent.status == "204 No Content")
        #expect(noContent.body.isEmpty)
        #expect(noContent.header("Content-Type") == nil)
        #expect(noContent.header("Content-Length") == nil)
        let notModified = try await Self.send(
            BufferedResponse(status: .notModified, headers: ["Content-Length": "42"], body: []), errors: errors)
        #expect(notModified.header("Content-Length") == "42")
    }
}

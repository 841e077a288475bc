import Foundation
import SwiftServeTesting
import Testing

/// Request and response bodies: collected by the adapter, up to its limit, and sent whole.
///
/// Vapor 4 makes streaming request bodies only inside its own HTTP server, so a `.stream` route
/// gets the collected body; these tests check that every byte arrives, in order, however it was
/// framed, and that the adapter's limit answers Vapor's 413.
@Suite("Bodies through the Vapor adapter")
struct BodyTests {
    static let fiveMiB = 5 * 1024 * 1024

    /// How curl frames an upload: with a Content-Length, or chunked.
    static let framings = ["Content-Type: application/octet-stream", "Transfer-Encoding: chunked"]

    @Test("a 5 MiB request body reaches the route whole, with Content-Length or chunked", arguments: framings)
    func largeBody(framing: String) throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let file = try PatternedFile(count: Self.fiveMiB)
        defer { file.remove() }
        let result = try CommandResult.curl([
            "-sS", "--data-binary", "@\(file.path)", "-H", framing, "http://127.0.0.1:\(server.port)/echo-length",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputText == String(Self.fiveMiB))
    }

    @Test(
        "a 5 MiB body reaches a streaming route whole and in order, with Content-Length or chunked", arguments: framings
    )
    func streamRoute(framing: String) throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let file = try PatternedFile(count: Self.fiveMiB)
        defer { file.remove() }
        let result = try CommandResult.curl([
            "-sS", "--data-binary", "@\(file.path)", "-H", framing, "http://127.0.0.1:\(server.port)/upload",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.json?["bytes"] as? Int == Self.fiveMiB)
        #expect(result.json?["fnv1a"] as? String == file.fnv1a)
    }

    @Test("a streaming route is bound by the adapter's limit too: 413 past 8 MiB")
    func streamRouteOverLimit() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        // Only the head is sent: the declared length alone must get the answer.
        try client.send(
            "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(8 * 1024 * 1024 + 1)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("X-Middleware") == "vapor")
    }

    @Test("a body of exactly the limit (8 MiB) is taken")
    func bodyAtLimit() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request(
            "POST", "/echo-length", body: [UInt8](repeating: 0x61, count: 8 * 1024 * 1024))
        #expect(response.status == 200)
        #expect(response.bodyText == String(8 * 1024 * 1024))
    }

    @Test("a declared Content-Length over the limit gets Vapor's 413 before any body byte is read")
    func declaredTooLarge() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        // Only the head is sent, asking for 100-continue: the answer must come without the body.
        try client.send(
            "POST /echo-length HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(8 * 1024 * 1024 + 1)\r\n"
                + "Expect: 100-continue\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.json?["reason"] as? String == "Payload Too Large")
        #expect(response.header("X-Middleware") == "vapor")
    }

    @Test("a chunked body that grows past the limit gets Vapor's 413")
    func chunkedTooLarge() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let file = try PatternedFile(count: 9 * 1024 * 1024)
        defer { file.remove() }
        let result = try CommandResult.curl([
            "-sS", "-w", "\n%{http_code}", "--data-binary", "@\(file.path)", "-H", "Transfer-Encoding: chunked",
            "http://127.0.0.1:\(server.port)/echo-length",
        ])
        let lines = result.outputText.split(separator: "\n")
        #expect(lines.last == "413", "\(result.outputText) \(result.standardError)")
        #expect(lines.first?.contains("Payload Too Large") == true)
    }

    @Test("the server stays usable after a body was refused")
    func usableAfterRefusal() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let refused = try RawHTTPClient(port: server.port)
        try refused.send("POST /echo-length HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999\r\n\r\n")
        #expect(try refused.readResponse().status == 413)
        #expect(try server.request("POST", "/echo-length", body: Array("12345".utf8)).bodyText == "5")
    }

    @Test("an async streaming response body is collected and sent whole, with its length")
    func asyncStreamedResponse() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/countdown")
        #expect(response.status == 200)
        #expect(response.bodyText == "3\n2\n1\nliftoff\n")
        #expect(response.header("Content-Length") == "14")
        #expect(response.header("Transfer-Encoding") == nil)
    }

    @Test("a callback streaming response body is collected and sent whole, even when empty")
    func callbackStreamedResponse() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/lines/3")
        #expect(response.bodyText == "line 0\nline 1\nline 2\n")
        let empty = try server.request("GET", "/lines/0")
        #expect(empty.status == 200)
        #expect(empty.body.isEmpty)
        #expect(empty.header("Content-Length") == "0")
    }
}

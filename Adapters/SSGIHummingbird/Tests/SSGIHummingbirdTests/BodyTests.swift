import Foundation
import SwiftServeTesting
import Testing

/// Request bodies stream from `ssgi.input` into Hummingbird's `RequestBody`, and response bodies
/// stream back through the SDK's writer, with back-pressure both ways.
@Suite("Bodies through the Hummingbird adapter")
struct BodyTests {
    static let fiveMiB = 5 * 1024 * 1024

    @Test(
        "a 5 MiB body is counted whole by a route that streams it, with Content-Length or chunked",
        arguments: ["Content-Type: application/octet-stream", "Transfer-Encoding: chunked"])
    func count(framing: String) throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let file = try PatternedFile(count: Self.fiveMiB)
        defer { file.remove() }
        let result = try CommandResult.curl([
            "-sS", "--data-binary", "@\(file.path)", "-H", framing, "http://127.0.0.1:\(server.port)/count",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputText == "\(Self.fiveMiB)\n")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a 5 MiB body is echoed back byte for byte, with Content-Length and chunked", arguments: [false, true])
    func echo(chunked: Bool) throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let file = try PatternedFile(count: Self.fiveMiB)
        defer { file.remove() }
        let result = try CommandResult.curl(
            [
                "-sS", "--data-binary", "@\(file.path)", "-H", "Content-Type: application/x-test",
                "-D", "/dev/stderr", "http://127.0.0.1:\(server.port)/echo",
            ] + (chunked ? ["-H", "Transfer-Encoding: chunked"] : []))
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == Data(file.bytes))
        #expect(result.standardError.lowercased().contains("content-type: application/x-test"))
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a 128 MiB upload streams through the route without the server holding it", .timeLimit(.minutes(3)))
    func largeUploadStreams() throws {
        let server = try HummingbirdExampleServer.start(validate: false)
        defer { server.stop() }
        let size = 128 * 1024 * 1024
        let result = try CommandResult.run(
            "/bin/sh",
            [
                "-c",
                "head -c \(size) /dev/zero | curl -sS -T - -H 'Content-Type: application/octet-stream' "
                    + "-X POST http://127.0.0.1:\(server.port)/count",
            ], timeout: 170)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputText == "\(size)\n")
        let peak = try #require(server.peakResidentBytes)
        #expect(peak < 96 * 1024 * 1024, "peak resident memory \(peak / 1024 / 1024) MiB")
    }

    @Test("a client that does not read the echo cannot make the route read its whole upload")
    func backPressure() throws {
        let server = try HummingbirdExampleServer.start(validate: false)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let size = 128 * 1024 * 1024
        try client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(size)\r\n\r\n")
        let taken = client.sendUntilBlocked([UInt8](repeating: 7, count: size), duration: 5)
        // Socket buffers both ways and a few buffers in the server and Hummingbird hold a few MiB;
        // an adapter that read the body ahead of the route would take all 128 MiB.
        #expect(taken < 48 * 1024 * 1024, "the server accepted \(taken / 1024 / 1024) MiB")
    }

    @Test("a route that never reads the body answers without the server asking for it (no 100 Continue)")
    func unreadBodyNotRequested() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST /no/such/route HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n"
        )
        #expect(try client.readLine() == "HTTP/1.1 404 Not Found")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a route that reads the body gets it after the server answered 100 Continue")
    func continueWhenRead() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST /count HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readLine() == "HTTP/1.1 100 Continue")
        #expect(try client.readLine() == "")
        try client.send("hello")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "5\n")
    }

    @Test("a response body written while it is sent goes out chunked, in order")
    func streamedResponse() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/countdown")
        #expect(response.status == 200)
        #expect(response.bodyText == "3\n2\n1\nliftoff\n")
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(server.validatorIsSilent, "\(server.log)")
    }
}

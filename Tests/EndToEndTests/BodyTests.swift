import Foundation
import SwiftServeTesting
import Testing

/// Request and response bodies: framing both ways, 100-continue, and memory that stays bounded
/// however large the body.
@Suite("Bodies")
struct BodyTests {
    @Test("a chunked request body is decoded before the application reads it")
    func chunkedRequest() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.bodyText == "hello world!")
        #expect(response.header("Transfer-Encoding") == "chunked")
    }

    @Test("without a Content-Length from the application the response is chunked")
    func chunkedResponse() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /stream?n=3 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.header("Content-Length") == nil)
        #expect(response.bodyText == "chunk 0\nchunk 1\nchunk 2\n")
    }

    @Test("a one-chunk body without Content-Length is sent with the length the server computed")
    func singleChunkGetsLength() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Content-Length") == "3")
        #expect(response.header("Transfer-Encoding") == nil)
    }

    @Test("an empty write does not count as the chunk a length is computed from")
    func emptyWrite() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /empty-then-body HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Content-Length") == "3")
        #expect(response.bodyText == "abc")
    }

    @Test("an application that sends fewer bytes than its Content-Length has its connection closed, and it is logged")
    func shortBody() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /short HTTP/1.1\r\nHost: localhost\r\n\r\n")
        var headerLines: [String] = []
        while case let line = try client.readLine(), !line.isEmpty { headerLines.append(line) }
        #expect(headerLines.contains("Content-Length: 10"))
        #expect(try client.readUntilClosed() == Array("12345".utf8))
        #expect(client.peerClosed)
        #expect(server.waitForLog("application sent 5 of the 10 body bytes it declared"))
        let next = try RawHTTPClient(port: server.port)
        try next.send("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try next.readResponse().status == 200)
    }

    @Test("cleanup is told the response was delivered only when all of it reached the socket")
    func cleanupStatus() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /cleanup HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().bodyText == "1234567890")
        #expect(server.waitForLog("cleanup called: delivered=true"))
        let short = try RawHTTPClient(port: server.port)
        try short.send("GET /cleanup?short HTTP/1.1\r\nHost: localhost\r\n\r\n")
        _ = try short.readUntilClosed()
        #expect(server.waitForLog("cleanup called: delivered=false"))
    }

    @Test("an asynchronous application resumed by a read carries on on the I/O thread, and leaves it when it yields")
    func resumedOnIOThread() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /threads HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n")
        // The body comes late, so that the application's read waits for it.
        Thread.sleep(forTimeInterval: 0.2)
        try client.send("hello")
        let response = try client.readResponse()
        let threads = Dictionary(
            uniqueKeysWithValues: response.bodyText.split(whereSeparator: \.isWhitespace).map { field in
                let parts = field.split(separator: "=")
                return (String(parts[0]), String(parts[1]))
            })
        #expect(threads["bytes"] == "5")
        #expect(threads["started"] != nil)
        #expect(threads["afterRead"] == threads["started"])
        #expect(threads["afterYield"] != threads["started"])
    }

    @Test("a body the application answered without reading is drained, and the connection serves the next request")
    func unreadBodyDrained() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        // More than the server buffers for the application (64 KiB), which answers after 300 ms
        // without reading any of it, and less than the server drains afterwards (1 MiB).
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 256 * 1024)
        try client.send("POST /slow?ms=300 HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.count)\r\n\r\n")
        try client.send(body)
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == nil)
        try client.send("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().bodyText == "ok\n")
    }

    @Test(
        "a response sent before the rest of an unread body says Connection: close when the server will not drain it",
        arguments: [
            // More than the server drains after a response (1 MiB) is still to come.
            "Content-Length: 3145728\r\n\r\n" + String(repeating: "x", count: 65536),
            // A chunked body whose end has not arrived: how much more will come is unknown.
            "Transfer-Encoding: chunked\r\n\r\n10000\r\n" + String(repeating: "x", count: 65536) + "\r\n",
        ])
    func unreadBodyNotDrained(framing: String) throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\n" + framing)
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(client.serverCloses() || client.peerClosed)
    }

    @Test("curl's upload answered without reading is followed by a new connection, not a reset and a retry")
    func curlReusesNothingAfterUnreadBody() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-3mb-\(getpid())")
        try Data(repeating: UInt8(ascii: "x"), count: 3 * 1024 * 1024).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let url = "http://127.0.0.1:\(server.port)/"
        let result = try CommandResult.curl([
            "-sv", "--data-binary", "@\(file.path)", "-H", "Expect:", url, "--next", url,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputText == String(repeating: "Hello world from a simple SSGI application!\n", count: 2))
        #expect(result.standardError.contains("< Connection: close"), "\(result.standardError)")
        #expect(!result.standardError.contains("Connection died"), "\(result.standardError)")
    }

    @Test("Expect: 100-continue is answered when the application reads the body")
    func expectContinue() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readLine() == "HTTP/1.1 100 Continue")
        #expect(try client.readLine() == "")
        try client.send("payload")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "payload")
    }

    @Test("Expect: 100-continue is not answered when the application responds without reading")
    func expectContinueUnread() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        // The client never sent the body it announced, so the connection cannot be reused, and
        // the response says so.
        #expect(response.header("Connection") == "close")
        #expect(client.serverCloses() || client.peerClosed)
    }

    @Test("curl's chunked upload is echoed back byte for byte")
    func curlChunkedUpload() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"))
        defer { server.stop() }
        let payload = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-upload-\(getpid())")
        try payload.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CommandResult.curl([
            "-s", "-T", file.path, "-H", "Transfer-Encoding: chunked", "http://127.0.0.1:\(server.port)/",
        ])
        #expect(result.status == 0)
        #expect(result.standardOutput == payload)
    }

    @Test("a 256 MiB upload streamed through echo keeps the server's memory small", .timeLimit(.minutes(5)))
    func largeStreamedBody() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"))
        defer { server.stop() }
        let size = 256 * 1024 * 1024
        let result = try CommandResult.run(
            "/bin/sh",
            [
                "-c",
                "head -c \(size) /dev/zero | curl -s -T - -H 'Content-Type: application/octet-stream' http://127.0.0.1:\(server.port)/ | wc -c",
            ], timeout: 280)
        #expect(result.status == 0)
        #expect(result.outputText.trimmingCharacters(in: .whitespacesAndNewlines) == String(size))
        let peak = try #require(server.peakResidentBytes)
        #expect(peak < 96 * 1024 * 1024, "peak resident memory \(peak / 1024 / 1024) MiB")
    }

    @Test("a client that does not read its response cannot make the server buffer the upload")
    func backPressureBothWays() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let size = 128 * 1024 * 1024
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(size)\r\n\r\n")
        let taken = client.sendUntilBlocked([UInt8](repeating: 7, count: size), duration: 5)
        // The socket buffers both ways and the server's bounded buffers hold a few MiB at most;
        // without back-pressure the server would have read all 128 MiB.
        #expect(taken < 48 * 1024 * 1024, "the server accepted \(taken / 1024 / 1024) MiB")
        let peak = try #require(server.peakResidentBytes)
        #expect(peak < 96 * 1024 * 1024, "peak resident memory \(peak / 1024 / 1024) MiB")
    }
}

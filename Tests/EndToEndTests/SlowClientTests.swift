import Foundation
import SwiftServeTesting
import Testing

/// Slow and greedy clients (docs/SPEC.md §14.1, README "Running it"): each timeout, the body rate,
/// the connection cap and the bounded output buffers, against the real server. The figures under
/// attack by slowhttptest come from `scripts/slow-clients`.
@Suite("Slow and greedy clients")
struct SlowClientTests {
    @Test("a new connection that sends nothing is closed silently after --header-timeout")
    func silentNewConnection() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--header-timeout", "1"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        #expect(try client.readUntilClosed().isEmpty)
        #expect(client.peerClosed)
    }

    @Test("an idle kept-alive connection is closed silently after --keep-alive-timeout")
    func keepAliveTimeout() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--keep-alive-timeout", "1", "--header-timeout", "60"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        // Well before the 60 s header timeout: it is the keep-alive timeout that closes.
        client.setReadTimeout(20)
        #expect(try client.readUntilClosed().isEmpty)
        #expect(client.peerClosed)
    }

    @Test("a request that starts during the keep-alive wait has the whole --header-timeout from its first byte")
    func headAfterKeepAlive() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--keep-alive-timeout", "1", "--header-timeout", "20"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        try client.send("GET /second HTTP/1.1\r\nHost: loc")
        // Past the keep-alive deadline, well within the header timeout.
        Thread.sleep(forTimeInterval: 2.5)
        try client.send("alhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    @Test("a request body slower than --min-body-rate is answered 408 and the connection closed")
    func bodyTooSlow() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: ["--min-body-rate", "1000", "--log-level", "debug"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 20)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n0123456789")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(response.header("Connection") == "close")
        #expect(client.serverCloses() || client.peerClosed)
        #expect(server.waitForLog("request body arrived slower than --min-body-rate 1000 bytes/s"))
    }

    @Test("a request body at twice --min-body-rate is served")
    func bodyAtRate() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--min-body-rate", "1000"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 20)
        let pieces = 14
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(pieces * 1000)\r\n\r\n")
        for _ in 0..<pieces {
            try client.send([UInt8](repeating: UInt8(ascii: "b"), count: 1000))
            Thread.sleep(forTimeInterval: 0.5)
        }
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText.contains("\"ssgi.input.bytes_read\": \"\(pieces * 1000)\""))
    }

    @Test("at --worker-connections the server stops accepting, and accepts again when a connection closes")
    func connectionCap() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--worker-connections", "2"])
        defer { server.stop() }
        var held = try (0..<2).map { _ in try RawHTTPClient(port: server.port) }
        for client in held {
            try client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
        // The kernel completes the handshake (the connection waits in the backlog), but the
        // server does not accept it, so nothing answers.
        let waiting = try RawHTTPClient(port: server.port, timeout: 1.5)
        try waiting.send("GET /waiting HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(throws: RawHTTPClientError.self) { try waiting.readResponse() }
        held.removeFirst()
        waiting.setReadTimeout(10)
        #expect(try waiting.readResponse().status == 200)
        #expect(held.count == 1)
    }

    @Test("a client that does not read its response cannot make the server buffer it")
    func slowReaderBounded() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let size = 256 * 1024 * 1024
        let client = try RawHTTPClient(port: server.port, receiveBuffer: 4096, timeout: 30)
        try client.send("GET /bytes?n=\(size) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        // Without back-pressure the application would have pushed all 256 MiB into the server by now.
        Thread.sleep(forTimeInterval: 3)
        let stalled = try #require(server.peakResidentBytes)
        #expect(stalled < 64 * 1024 * 1024, "peak resident memory \(stalled / 1024 / 1024) MiB while stalled")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body.count == size)
        let peak = try #require(server.peakResidentBytes)
        #expect(peak < 96 * 1024 * 1024, "peak resident memory \(peak / 1024 / 1024) MiB")
    }

    @Test("a response blocked on a client that does not read is closed after --send-timeout")
    func sendTimeout() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("faults"), arguments: ["--send-timeout", "1", "--log-level", "debug"])
        defer { server.stop() }
        let size = 64 * 1024 * 1024
        let client = try RawHTTPClient(port: server.port, receiveBuffer: 4096, timeout: 20)
        try client.send("GET /bytes?n=\(size) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(server.waitForLog("the client read nothing of the response for --send-timeout 1 s: closing"))
        let received = try client.readUntilClosed()
        #expect(client.peerClosed)
        #expect(received.count < size)
    }
}

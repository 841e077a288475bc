import SwiftServeTesting
import Testing

/// Requests the server refuses before they reach the application, with Gunicorn's limits.
@Suite("Request limits")
struct LimitTests {
    private func refusal(to request: String, arguments: [String] = []) throws -> (RawResponse, Bool) {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"), arguments: arguments)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(request)
        let response = try client.readResponse()
        return (response, client.serverCloses() || client.peerClosed)
    }

    @Test("a request line over 8190 bytes is answered 414 and the connection closed")
    func requestLineTooLong() throws {
        let (response, closed) = try self.refusal(
            to: "GET /\(String(repeating: "a", count: 8200)) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(response.status == 414)
        #expect(response.header("Connection") == "close")
        #expect(closed)
    }

    @Test("a request line of 8190 bytes is served")
    func requestLineAtLimit() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let path = "/" + String(repeating: "a", count: 8190 - "GET  HTTP/1.1".utf8.count - 1)
        try client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    @Test("more than 100 header fields are answered 431")
    func tooManyHeaders() throws {
        let headers = (0..<101).map { "X-Field-\($0): v\r\n" }.joined()
        let (response, closed) = try self.refusal(to: "GET / HTTP/1.1\r\n\(headers)\r\n")
        #expect(response.status == 431)
        #expect(closed)
    }

    @Test("a header field over 8190 bytes is answered 431")
    func headerFieldTooLarge() throws {
        let (response, closed) = try self.refusal(
            to: "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "b", count: 8200))\r\n\r\n")
        #expect(response.status == 431)
        #expect(closed)
    }

    @Test("a malformed request is answered 400 and the connection closed")
    func malformed() throws {
        let (response, closed) = try self.refusal(to: "THIS IS NOT HTTP\r\n\r\n")
        #expect(response.status == 400)
        #expect(response.bodyText == "Bad Request\n")
        #expect(closed)
    }

    @Test("a malformed chunk after the response to an unread body closes the connection")
    func malformedChunkWhileDraining() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 5)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        try client.send("zz\r\nnot a chunk\r\n")
        #expect(client.serverCloses())
    }

    @Test("a request head not completed within --header-timeout is answered 408")
    func headerTimeout() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--header-timeout", "1"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: loc")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(client.serverCloses() || client.peerClosed)
    }
}

import Foundation
import SwiftServeTesting
import Testing

/// HEAD and persistent connections: the server's part, with Hummingbird's answers.
@Suite("Connections and HEAD with the Hummingbird adapter")
struct ConnectionTests {
    @Test("HEAD answers the GET route's head, its Content-Length included, and no body")
    func head() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let head = try client.exchange("HEAD", "/hello")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "30")
        #expect(head.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(head.header("X-Served-By") == "Hummingbird")
        #expect(head.body.isEmpty)
        // Nothing of a body followed the head: the next response on the connection starts clean.
        let get = try client.exchange("GET", "/hello")
        #expect(get.bodyText == "Hello world from Hummingbird!\n")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("one connection carries routes, bodies and error responses one after another")
    func keepAlive() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        #expect(try client.exchange("GET", "/hello").status == 200)
        #expect(try client.exchange("GET", "/no/such/route").status == 404)
        #expect(
            try client.exchange("POST", "/count", body: [UInt8](repeating: 1, count: 100_000)).bodyText == "100000\n")
        #expect(try client.exchange("GET", "/bad").status == 400)
        let echo = try client.exchange("POST", "/echo", body: Array("ping".utf8))
        #expect(echo.bodyText == "ping")
        #expect(try client.exchange("GET", "/crash").status == 500)
        let last = try client.exchange("GET", "/users/9")
        #expect(last.status == 200)
        #expect(last.header("Connection") == nil)
        #expect(!client.peerClosed)
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a body the route left unread is not taken for the next request")
    func unreadBodyDiscarded() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let ignored = try client.exchange("POST", "/hello", body: Array("GET /users/1 HTTP/1.1\r\n\r\n".utf8))
        #expect(ignored.status == 404)
        let next = try client.exchange("GET", "/users/2")
        #expect(next.json?["id"] as? Int == 2)
    }
}

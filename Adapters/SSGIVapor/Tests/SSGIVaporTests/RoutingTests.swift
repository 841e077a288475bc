import Foundation
import SwiftServeTesting
import Testing

/// A Vapor application's routes, parameters, content coding and middleware, served by swiftserve.
@Suite("Vapor routing under swiftserve")
struct RoutingTests {
    @Test("a route answers with the body and Content-Type Vapor gives it")
    func hello() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/hello")
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(response.bodyText == "Hello world from Vapor!\n")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.header("Content-Length") == "24")
        #expect(response.header("Server")?.hasPrefix("swiftserve/") == true)
    }

    @Test("the application's middleware adds its header to every response")
    func middleware() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        for target in ["/hello", "/users/7", "/teapot", "/no-such-route"] {
            #expect(try server.request("GET", target).header("X-Middleware") == "vapor", "\(target)")
        }
    }

    @Test("a path parameter reaches the route, and the route's Content is sent as JSON")
    func pathParameter() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/users/42")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let json = try #require(response.json)
        #expect(json["id"] as? Int == 42)
        #expect(json["name"] as? String == "User 42")
    }

    @Test("the query string reaches the route percent-encoded, and Vapor decodes it")
    func queryString() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        #expect(try server.request("GET", "/greet?name=Ada%20Lovelace").bodyText == "Hello, Ada Lovelace!\n")
        let missing = try server.request("GET", "/greet")
        #expect(missing.status == 400)
        #expect(missing.json?["error"] as? Bool == true)
    }

    @Test("a JSON body is decoded into Content and the answer encoded back")
    func jsonRoundTrip() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.post(json: #"{"text": "héllo ", "repeats": 3}"#, to: "/json")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let json = try #require(response.json)
        #expect(json["text"] as? String == "héllo héllo héllo ")
        #expect(json["characters"] as? Int == 18)
    }

    @Test("the method selects the route: DELETE answers 204 with no body and no Content-Length")
    func methodAndNoContent() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("DELETE /users/42 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 204)
        #expect(response.header("Content-Length") == nil)
        #expect(response.header("Transfer-Encoding") == nil)
        // A body byte after the 204 head would be read as the start of the next response.
        try client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().bodyText == "Hello world from Vapor!\n")
    }

    @Test("HEAD is answered by the GET route: the GET head, no body, and the connection stays usable")
    func head() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("HEAD /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let head = try client.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "24")
        try client.send("GET /users/1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let next = try client.readResponse()
        #expect(next.status == 200)
        #expect(next.json?["id"] as? Int == 1)
    }

    @Test("HEAD on a route with a streaming body sends the head without running the stream")
    func headOfStream() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let started = Date()
        try client.send("HEAD /slow-stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let head = try client.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/plain")
        // The stream sleeps 3 s before its first byte; the head must not wait for it.
        #expect(Date().timeIntervalSince(started) < 2)
        try client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().bodyText == "Hello world from Vapor!\n")
    }

    @Test("requests on one keep-alive connection each reach their own route")
    func keepAlive() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let expected = [("/hello", 200), ("/nope", 404), ("/users/3", 200), ("/teapot", 418), ("/hello", 200)]
        for (target, status) in expected {
            try client.send("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == status, "\(target)")
            #expect(response.header("Connection") == nil, "\(target)")
        }
    }

    @Test("the connection headers a route sets are dropped, and the connection stays open")
    func hopByHopHeadersDropped() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /hop-by-hop HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "hop\n")
        #expect(response.header("X-Kept") == "yes")
        for name in ["Connection", "Keep-Alive", "Trailer", "Transfer-Encoding"] {
            #expect(response.header(name) == nil, "\(name)")
        }
        try client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    @Test("the route sees the request's method, target, HTTP version and the client's address")
    func requestInformation() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /about?x=%2F HTTP/1.0\r\n\r\n")
        let json = try #require(try client.readResponse().json)
        #expect(json["method"] as? String == "GET")
        #expect(json["url"] as? String == "/about?x=%2F")
        #expect(json["httpVersion"] as? String == "HTTP/1.0")
        let address = try #require(json["remoteAddress"] as? String)
        #expect(address.hasPrefix("127.0.0.1:"))
        #expect((Int(address.dropFirst("127.0.0.1:".count)) ?? 0) > 0)
    }
}

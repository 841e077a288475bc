import Foundation
import SwiftServeTesting
import Testing

/// Hummingbird's router and middleware behind swiftserve: routes, parameters, JSON, and the request
/// Hummingbird sees.
@Suite("Routing through the Hummingbird adapter")
struct RoutingTests {
    @Test("GET /hello answers the route's text, typed as Hummingbird types a String")
    func hello() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/hello")
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(response.bodyText == "Hello world from Hummingbird!\n")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.header("Content-Length") == "30")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("the router's middleware runs on every response")
    func middleware() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        #expect(try server.request("GET", "/hello").header("X-Served-By") == "Hummingbird")
        #expect(try server.request("GET", "/users/1").header("X-Served-By") == "Hummingbird")
        #expect(try server.request("GET", "/no/such/route").header("X-Served-By") == "Hummingbird")
    }

    @Test("a path parameter reaches the route, which answers JSON")
    func pathParameter() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/users/42")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let json = try #require(response.json)
        #expect(json["id"] as? Int == 42)
        #expect(json["name"] as? String == "user 42")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a path parameter that does not convert gets Hummingbird's 400")
    func badPathParameter() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/users/abc")
        #expect(response.status == 400)
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["message"] as? String == "Parameter 'abc' can not be converted to the expected type (Int)")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a JSON body is decoded into a Codable and encoded back")
    func jsonRoundTrip() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.post(json: #"{"id": 7, "name": "Ada"}"#, to: "/users")
        #expect(response.status == 201)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let json = try #require(response.json)
        #expect(json["id"] as? Int == 7)
        #expect(json["name"] as? String == "Ada")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("the request Hummingbird sees: target as sent, query, Host as authority, client address")
    func requestMapping() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/request?greeting=hello%20there&x=1")
        let json = try #require(response.json)
        #expect(json["method"] as? String == "GET")
        #expect(json["scheme"] as? String == "http")
        #expect(json["authority"] as? String == "localhost")
        #expect(json["path"] as? String == "/request")
        #expect(json["query"] as? String == "greeting=hello%20there&x=1")
        #expect(json["greeting"] as? String == "hello there")
        // As behind Hummingbird's own server, Host is the authority and not a header field.
        #expect(json["hasHostField"] as? Bool == false)
        #expect(json["remoteAddress"] as? String == "127.0.0.1")
    }

    @Test("an HTTP/1.0 request without Host gets SERVER_NAME and SERVER_PORT as its authority")
    func authorityWithoutHost() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /request HTTP/1.0\r\n\r\n")
        let json = try #require(try client.readResponse().json)
        #expect(json["authority"] as? String == "127.0.0.1:\(server.port)")
    }
}

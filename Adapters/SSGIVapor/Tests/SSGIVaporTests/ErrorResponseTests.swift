import SwiftServeTesting
import Testing

/// Errors are answered by Vapor itself: its ErrorMiddleware's JSON, with the error's status.
@Suite("Vapor's error responses under swiftserve")
struct ErrorResponseTests {
    @Test("an unknown route gets Vapor's 404 JSON")
    func notFound() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/no/such/route")
        #expect(response.status == 404)
        #expect(response.reason == "Not Found")
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let json = try #require(response.json)
        #expect(json["error"] as? Bool == true)
        #expect(json["reason"] as? String == "Not Found")
    }

    @Test("a route that throws Abort(.imATeapot) gets 418 with Vapor's JSON")
    func thrownAbort() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/teapot")
        #expect(response.status == 418)
        #expect(response.reason == "I'm a teapot")
        #expect(response.json?["reason"] as? String == "I'm a teapot")
    }

    @Test("an Abort with a reason sends that reason")
    func abortReason() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/users/not-a-number")
        #expect(response.status == 400)
        #expect(response.json?["reason"] as? String == "The user id must be an integer.")
    }

    @Test("a body that does not decode gets Vapor's 400")
    func undecodableBody() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let response = try server.post(json: #"{"text": "#, to: "/json")
        #expect(response.status == 400)
        #expect(response.json?["error"] as? Bool == true)
    }

    @Test("a method without a route on an existing path gets 404, as under Vapor's server")
    func wrongMethod() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        #expect(try server.request("PATCH", "/hello").status == 404)
    }
}

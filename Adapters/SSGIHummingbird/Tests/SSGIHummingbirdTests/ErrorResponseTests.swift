import Foundation
import SwiftServeTesting
import Testing

/// Hummingbird's own error responses, as its server would send them, valid under SSGI.
@Suite("Hummingbird error responses under swiftserve")
struct ErrorResponseTests {
    @Test("an unknown route gets Hummingbird's 404: empty, through the middleware")
    func unknownRoute() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/no/such/route")
        #expect(response.status == 404)
        #expect(response.reason == "Not Found")
        #expect(response.body.isEmpty)
        #expect(response.header("Content-Length") == "0")
        #expect(response.header("X-Served-By") == "Hummingbird")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a known path with a method it has no route for gets Hummingbird's 404")
    func unknownMethod() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("DELETE", "/hello")
        #expect(response.status == 404)
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("HTTPError(.badRequest, message:) becomes Hummingbird's 400 with its JSON message")
    func httpError() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/bad")
        #expect(response.status == 400)
        #expect(response.reason == "Bad Request")
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        #expect(response.bodyText == #"{"error":{"message":"this route always refuses"}}"#)
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a JSON body that does not decode gets Hummingbird's 400")
    func undecodableJSON() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let malformed = try server.post(json: #"{"id": 7"#, to: "/users")
        #expect(malformed.status == 400)
        #expect((malformed.json?["error"] as? [String: Any])?["message"] as? String != nil)
        let incomplete = try server.post(json: #"{"id": 7}"#, to: "/users")
        #expect(incomplete.status == 400)
        #expect(incomplete.bodyText.contains("Coding key `name` not found."))
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("an error that is not an HTTPResponseError becomes Hummingbird's empty 500, logged by the server")
    func unexpectedError() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/crash")
        #expect(response.status == 500)
        #expect(response.body.isEmpty)
        #expect(response.header("Content-Length") == "0")
        // Hummingbird's 500, not the server's generic one (which has a text body and closes).
        #expect(response.header("Connection") == nil)
        #expect(server.waitForLog("Hummingbird responder failed on GET /crash: Unexpected()"))
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a 204 is sent without Content-Length or Content-Type, though Hummingbird sets Content-Length: 0")
    func noContent() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let response = try server.request("GET", "/gone")
        #expect(response.status == 204)
        #expect(response.header("Content-Length") == nil)
        #expect(response.header("Content-Type") == nil)
        #expect(response.header("X-Served-By") == "Hummingbird")
        #expect(server.validatorIsSilent, "\(server.log)")
    }
}

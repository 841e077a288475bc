import Foundation
import SwiftServeTesting
import Testing

/// The Flaskish example (`libflaskish.so`) served by the real `swiftserve --validate` over real
/// sockets: every route of the example, answered without a validation failure.
@Suite("Flaskish example over HTTP")
struct FlaskishPluginTests {
    /// Starts swiftserve with the Flaskish example under the validator.
    private func startServer() throws -> ServerProcess {
        try ServerProcess(application: BuildProducts.plugin("flaskish") + ":app", arguments: ["--validate"])
    }

    private func get(_ path: String, method: String = "GET") -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n"
    }

    private func post(_ path: String, contentType: String, body: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test("GET /hello answers the exact greeting as text/plain; charset=utf-8")
    func hello() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let result = try CommandResult.curl(["-sv", "http://127.0.0.1:\(server.port)/hello"])
        #expect(result.status == 0)
        #expect(result.outputText == "Hello world from Flaskish!\n")
        #expect(result.standardError.contains("< HTTP/1.1 200 OK"))
        #expect(result.standardError.contains("< Content-Type: text/plain; charset=utf-8"))
        #expect(result.standardError.contains("< Content-Length: 27"))
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("every GET route answers in turn on one kept-alive connection")
    func getRoutesOnOneConnection() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)

        try client.send(self.get("/users/7"))
        let user = try client.readResponse()
        #expect(user.status == 200)
        #expect(user.header("Content-Type") == "application/json")
        #expect(user.bodyText == #"{"id":7,"name":"user 7"}"# + "\n")

        try client.send(self.get("/users/ada%20l"))
        #expect(try client.readResponse().bodyText == "Hello, ada l!\n")

        try client.send(self.get("/files/docs/guide.md"))
        #expect(try client.readResponse().bodyText == #"{"path":"docs/guide.md"}"# + "\n")

        try client.send(self.get("/search?q=swift+nio&tag=a&tag=b"))
        #expect(try client.readResponse().bodyText == #"{"q":"swift nio","tags":["a","b"]}"# + "\n")

        try client.send(self.get("/old-hello"))
        let redirect = try client.readResponse()
        #expect(redirect.status == 302)
        #expect(redirect.header("Location") == "/hello")

        try client.send(self.get("/forbidden"))
        let forbidden = try client.readResponse()
        #expect(forbidden.status == 403)
        #expect(forbidden.bodyText.contains("<title>403 Forbidden</title>"))

        try client.send(self.get("/no/such/page"))
        let missing = try client.readResponse()
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type") == "application/json")
        #expect(missing.bodyText == #"{"error":"Not Found","path":"/no/such/page"}"# + "\n")

        try client.send(self.get("/hello", method: "HEAD"))
        let head = try client.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "27")

        try client.send(self.get("/hello"))
        #expect(try client.readResponse().bodyText == "Hello world from Flaskish!\n")

        #expect(!client.peerClosed)
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("POST /form echoes the fields and POST /greetings reads JSON, on one connection")
    func postRoutes() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)

        try client.send(
            self.post("/form", contentType: "application/x-www-form-urlencoded", body: "name=Ada+L&lang=swift"))
        let form = try client.readResponse()
        #expect(form.status == 200)
        #expect(form.bodyText == #"{"lang":"swift","name":"Ada L"}"# + "\n")

        try client.send(self.post("/greetings", contentType: "application/json", body: #"{"name": "Grace"}"#))
        let created = try client.readResponse()
        #expect(created.status == 201)
        #expect(created.bodyText == #"{"greeting":"Hello, Grace!"}"# + "\n")

        try client.send(self.post("/greetings", contentType: "application/json", body: #"{"nom": "x"}"#))
        #expect(try client.readResponse().status == 400)

        try client.send(self.post("/greetings", contentType: "text/plain", body: "Grace"))
        #expect(try client.readResponse().status == 415)

        #expect(!client.peerClosed)
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a known path with the wrong method is a 405 with Allow, and OPTIONS lists the methods")
    func methodNotAllowed() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(self.get("/form"))
        let response = try client.readResponse()
        #expect(response.status == 405)
        #expect(response.header("Allow") == "OPTIONS, POST")
        try client.send(self.get("/form", method: "OPTIONS"))
        let options = try client.readResponse()
        #expect(options.status == 200)
        #expect(options.header("Allow") == "OPTIONS, POST")
        #expect(options.body.isEmpty)
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a view that throws gets a generic 500; the error goes to the server's log")
    func unhandledError() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(self.get("/boom"))
        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(!response.bodyText.contains("ExampleFailure"))
        #expect(server.waitForLog("Flaskish: exception on /boom [GET]: FlaskishApp.ExampleFailure"), "\(server.log)")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a body over the 1 MiB limit is answered 413 without being read")
    func bodyTooLarge() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 2097152\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(server.validatorIsSilent, "\(server.log)")
    }
}

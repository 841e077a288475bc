import Foundation
import SwiftServeTesting
import Testing

/// The Djangoish example project served by the real `swiftserve` under `--validate`: every route
/// over real HTTP, on one keep-alive connection, and no validation failure in the log.
@Suite("Djangoish example plugin")
struct DjangoishPluginTests {
    /// Sends each request on one connection and returns the responses.
    private func exchange(_ server: ServerProcess, _ requests: [String]) throws -> [RawResponse] {
        let client = try RawHTTPClient(port: server.port)
        var responses: [RawResponse] = []
        for request in requests {
            try client.send(request)
            responses.append(try client.readResponse(forHead: request.hasPrefix("HEAD")))
        }
        #expect(!client.peerClosed)
        return responses
    }

    private func startServer() throws -> ServerProcess {
        try ServerProcess(application: BuildProducts.plugin("djangoish"), arguments: ["--validate"])
    }

    @Test("every example route answers as documented on one keep-alive connection, passing the validator")
    func everyRoute() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let form = "name=Ada+Lovelace"
        let responses = try self.exchange(
            server,
            [
                "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /users/7/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /api/status/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "POST /greet/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: \(form.utf8.count)\r\n\r\n\(form)",
                "POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
                "GET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /users/7 HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /users/0/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /go-home/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "HEAD /hello HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /greet/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
            ])
        let hello = responses[0]
        #expect(hello.status == 200)
        #expect(hello.bodyText == "Hello world from Djangoish!\n")
        #expect(hello.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(hello.header("Content-Length") == "28")

        #expect(responses[1].status == 200)
        #expect(responses[1].header("Content-Type") == "application/json")
        #expect(responses[1].bodyText == #"{"id":7,"name":"user7","url":"/users/7/"}"#)

        #expect(responses[2].status == 200)
        #expect(responses[2].bodyText == #"{"firstUser":"/users/1/","framework":"Djangoish"}"#)

        #expect(responses[3].status == 200)
        #expect(responses[3].bodyText == "Hello, Ada Lovelace!\n")

        #expect(responses[4].status == 405)
        #expect(responses[4].header("Allow") == "GET, HEAD")

        #expect(responses[5].status == 404)
        #expect(responses[5].bodyText.contains("<h1>Not Found</h1>"))
        #expect(!responses[5].bodyText.contains("hello"))

        #expect(responses[6].status == 301)
        #expect(responses[6].header("Location") == "/users/7/")

        #expect(responses[7].status == 404)
        #expect(!responses[7].bodyText.contains("No user"))

        #expect(responses[8].status == 302)
        #expect(responses[8].header("Location") == "/hello")

        #expect(responses[9].status == 200)
        #expect(responses[9].header("Content-Length") == "28")
        #expect(responses[9].body.isEmpty)

        #expect(responses[10].status == 405)
        #expect(responses[10].header("Allow") == "POST")

        for response in responses {
            #expect(response.header("X-Djangoish") == "yes")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
        }
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a Host outside ALLOWED_HOSTS is answered 400 and logged")
    func disallowedHost() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let response = try self.exchange(server, ["GET /hello HTTP/1.1\r\nHost: evil.example\r\n\r\n"])[0]
        #expect(response.status == 400)
        #expect(response.bodyText.contains("Bad Request (400)"))
        #expect(!response.bodyText.contains("evil.example"))
        #expect(server.waitForLog("Invalid HTTP_HOST header: 'evil.example'"), "\(server.log)")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a form body over the project's DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413")
    func bodyTooLarge() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let form = "name=" + String(repeating: "a", count: 2000)
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST /greet/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(form.utf8.count)\r\n\r\n\(form)")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("X-Djangoish") == "yes")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("a chunked form body is read and answered")
    func chunkedForm() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let response = try self.exchange(
            server,
            [
                "POST /greet/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nname=\r\n3\r\nBob\r\n0\r\n\r\n"
            ])[0]
        #expect(response.bodyText == "Hello, Bob!\n")
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("curl gets the hello text")
    func curlHello() throws {
        let server = try self.startServer()
        defer { server.stop() }
        let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/hello"])
        #expect(result.outputText == "Hello world from Djangoish!\n")
    }
}

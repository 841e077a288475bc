import SwiftServeTesting
import Testing

/// The Pyramidish example plugin (`Plugins/pyramidish`) served by the real `swiftserve` under
/// `--validate`: every route of its doc comment over real HTTP, on one keep-alive connection.
@Suite("Pyramidish plugin")
struct PyramidishPluginTests {
    private static let form = "application/x-www-form-urlencoded"

    /// Serves the plugin under `--validate`, sends each request on one connection and returns the
    /// responses, after checking the connection stayed open and the validator found nothing.
    private func exchange(_ requests: [String]) throws -> [RawResponse] {
        let server = try ServerProcess(application: BuildProducts.plugin("pyramidish"), arguments: ["--validate"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        var responses: [RawResponse] = []
        for request in requests {
            try client.send(request)
            responses.append(try client.readResponse(forHead: request.hasPrefix("HEAD ")))
        }
        #expect(!client.peerClosed)
        #expect(server.validatorIsSilent, "\(server.log)")
        return responses
    }

    private func get(_ target: String, method: String = "GET") -> String {
        "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n"
    }

    private func post(_ target: String, _ body: String, contentType: String = form) -> String {
        "POST \(target) HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test("GET /hello answers exactly the greeting as text/plain")
    func hello() throws {
        let hello = try self.exchange([self.get("/hello")])[0]
        #expect(hello.status == 200)
        #expect(hello.bodyText == "Hello world from Pyramidish!\n")
        #expect(hello.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(hello.header("Content-Length") == "29")
    }

    /// A request to the example and what its response must hold.
    private struct Exchange {
        var request: String
        var status: Int
        var headers: [String: String] = [:]
        var body: String?
    }

    @Test("every example route answers as documented, all on one keep-alive connection")
    func everyRouteOnOneConnection() throws {
        let text = "text/plain; charset=utf-8"
        let json = "application/json"
        let exchanges = [
            Exchange(
                request: self.get("/hello"), status: 200, headers: ["Content-Type": text],
                body: "Hello world from Pyramidish!\n"),
            Exchange(
                request: self.get("/hello", method: "HEAD"), status: 200, headers: ["Content-Length": "29"], body: ""),
            Exchange(
                request: self.get("/users/3"), status: 200, headers: ["Content-Type": json],
                body: #"{"id":"3","url":"http://localhost/users/3"}"#),
            Exchange(
                request: self.get("/users/a%20b"), status: 200,
                body: #"{"id":"a b","url":"http://localhost/users/a%20b"}"#),
            Exchange(
                request: self.get("/squares/12"), status: 200, headers: ["Content-Type": json],
                body: #"{"n":12,"square":144}"#),
            Exchange(request: self.get("/squares/abc"), status: 404),
            Exchange(request: self.get("/squares/9999999999"), status: 400, headers: ["Content-Type": text]),
            Exchange(
                request: self.post("/echo-form", "b=two+words&a=1&a=%C3%A9"), status: 200,
                headers: ["Content-Type": json], body: #"{"a":"é","b":"two words"}"#),
            Exchange(
                request: self.get("/go-home"), status: 302, headers: ["Location": "/hello", "Content-Type": text]),
            Exchange(
                request: self.get("/nope"), status: 404, headers: ["Content-Type": text],
                body: "404 Not Found\n\nThe resource could not be found.\n"),
            Exchange(
                request: self.post("/hello", "x=1"), status: 405, headers: ["Allow": "GET, HEAD", "Content-Type": text]),
            Exchange(request: self.get("/echo-form"), status: 405, headers: ["Allow": "POST"]),
        ]
        let responses = try self.exchange(exchanges.map(\.request))
        for (exchange, response) in zip(exchanges, responses) {
            let line = exchange.request.prefix { $0 != "\r" }
            #expect(response.status == exchange.status, "\(line)")
            for (name, value) in exchange.headers {
                #expect(response.header(name) == value, "\(line): \(name)")
            }
            if let body = exchange.body {
                #expect(response.bodyText == body, "\(line)")
            }
        }
    }

    @Test("a chunked form body over the 1 MiB limit is answered 413")
    func chunkedBodyTooLarge() throws {
        let chunk = String(repeating: "a", count: 64 * 1024)
        let chunks = Array(repeating: "10000\r\n\(chunk)\r\n", count: 17).joined()
        let responses = try self.exchange([
            "POST /echo-form HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(Self.form)\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n\(chunks)0\r\n\r\n",
            self.get("/hello"),
        ])
        #expect(responses[0].status == 413)
        #expect(responses[0].header("Content-Type") == "text/plain; charset=utf-8")
        #expect(responses[1].bodyText == "Hello world from Pyramidish!\n")
    }

    @Test("a declared Content-Length over the limit is answered 413 before the body is sent")
    func declaredBodyTooLarge() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("pyramidish"), arguments: ["--validate"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST /echo-form HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(Self.form)\r\n"
                + "Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.bodyText.hasPrefix("413 "))
        #expect(server.validatorIsSilent, "\(server.log)")
    }
}

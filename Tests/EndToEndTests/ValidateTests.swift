import SwiftServeTesting
import Testing

/// `swiftserve --validate`: every example application passes the validator, and deliberately
/// broken ones are caught with the rule they broke.
@Suite("Validation with --validate")
struct ValidateTests {
    /// Serves `plugin` under `--validate`, sends `requests` and returns the responses and the log.
    private func serveValidated(_ application: String, _ requests: [String]) throws -> ([RawResponse], String) {
        let server = try ServerProcess(application: application, arguments: ["--validate"])
        defer { server.stop() }
        #expect(server.log.contains("validating every request and response against SSGI 1.2"))
        var responses: [RawResponse] = []
        for request in requests {
            let client = try RawHTTPClient(port: server.port)
            try client.send(request)
            responses.append(try client.readResponse(forHead: request.hasPrefix("HEAD")))
        }
        return (responses, server.log)
    }

    @Test(
        "the example applications pass the validator",
        arguments: [
            (
                "barebones", "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "Hello world from a simple SSGI application!\n"
            ),
            ("echo", "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nping", "ping"),
            ("faults", "GET /stream?n=2 HTTP/1.1\r\nHost: localhost\r\n\r\n", "chunk 0\nchunk 1\n"),
            ("faults", "HEAD /ok HTTP/1.1\r\nHost: localhost\r\n\r\n", ""),
        ])
    func examplesPass(plugin: String, request: String, body: String) throws {
        let (responses, log) = try self.serveValidated(BuildProducts.plugin(plugin), [request])
        #expect(responses[0].status == 200)
        #expect(responses[0].bodyText == body)
        #expect(!log.contains("SSGI validation failed"), "\(log)")
    }

    @Test("the environ example passes the validator, reading its body through the validator")
    func environPasses() throws {
        let (responses, log) = try self.serveValidated(
            BuildProducts.plugin("environ"),
            ["POST /x?y=1 HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"])
        #expect(responses[0].bodyText.contains("\"ssgi.input.bytes_read\": \"3\""))
        #expect(responses[0].bodyText.contains("\"PATH_INFO\": \"/x\""))
        #expect(!log.contains("SSGI validation failed"), "\(log)")
    }

    @Test("the C plugin passes the validator")
    func cPluginPasses() throws {
        let library = try CFixtures.hello.get()
        let (responses, log) = try self.serveValidated(
            "\(library):app",
            [
                "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello",
            ])
        #expect(responses[0].bodyText == "Hello from C!\n")
        #expect(responses[1].bodyText == "C says: read 5 bytes\n")
        #expect(!log.contains("SSGI validation failed"), "\(log)")
    }

    @Test(
        "a broken application is caught with the rule it broke",
        arguments: [
            ("/no-content-type", "[Content-Type]"),
            ("/no-content-with-body", "[no body on 1xx, 204 and 304]"),
            ("/bad-status", "[start_response status]"),
            ("/hop-by-hop", "[start_response hop-by-hop header]"),
            ("/length-on-204", "[Content-Length]"),
        ])
    func brokenApplicationCaught(path: String, rule: String) throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"), arguments: ["--validate"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 500)
        #expect(server.waitForLog("SSGI validation failed \(rule)"), "\(server.log)")
    }

    @Test(
        "a C application's Content-Length on a 204 is refused with SSGI_E_INVALID_HEADER and reported under its own rule"
    )
    func contentLengthOn204() throws {
        let server = try ServerProcess(
            application: "\(try CFixtures.probe.get()):inline_app", arguments: ["--validate"])
        defer { server.stop() }
        #expect(try server.request("GET", "/length-on-204").status == 500)
        #expect(server.waitForLog("SSGI validation failed [Content-Length]"), "\(server.log)")
        #expect(server.log.contains("a 204 response must not have a Content-Length"), "\(server.log)")
        #expect(server.log.contains("probe: start_response of a 204 with Content-Length returned -4"), "\(server.log)")
        #expect(!server.log.contains("not a token"), "\(server.log)")
    }

    @Test("a body shorter than its Content-Length is caught after the head went out: the connection is cut")
    func shortBodyCaught() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"), arguments: ["--validate"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /short HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readLine() == "HTTP/1.1 200 OK")
        let rest = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(rest.hasSuffix("\r\n\r\n12345"))
        #expect(server.waitForLog("SSGI validation failed [Content-Length]"), "\(server.log)")
    }

    @Test("under the validator, an inline C application's read completions run on the thread of its handle")
    func foreignReadCallbacksOnTheIOThread() throws {
        let library = try CFixtures.recorder.get()
        let server = try ServerProcess(
            application: "\(library):inline_app", arguments: ["--validate", "--workers", "0", "--threads", "1"])
        defer { server.stop() }
        for _ in 0..<10 {
            let client = try RawHTTPClient(port: server.port)
            try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nping")
            #expect(try client.readResponse().bodyText == "read 4 bytes\n")
        }
        #expect(!server.log.contains("recorder: read_done on another thread"), "\(server.log)")
        #expect(!server.log.contains("SSGI validation failed"), "\(server.log)")
    }

    @Test("without --validate the server serves what the validator would refuse")
    func onlyTheValidatorCatchesMissingContentType() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /no-content-type HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }
}

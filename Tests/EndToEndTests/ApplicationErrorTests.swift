import SwiftServeTesting
import Testing

/// Applications that throw or break the rules: the client gets a generic error, the log gets
/// the detail, and the server keeps serving.
@Suite("Application errors")
struct ApplicationErrorTests {
    @Test(
        "an application that fails before starting its response gets a generic 500",
        arguments: [
            ("/throw", "deliberate failure with secret detail 0xC0FFEE"),
            ("/bad-status", "the status must be \"NNN Reason\""),
            ("/hop-by-hop", "hop-by-hop headers"),
            ("/length-on-204", "a 204 response must not have a Content-Length"),
            ("/no-start", "did not call start_response"),
        ])
    func failureBeforeStart(path: String, logged: String) throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.bodyText == "Internal Server Error\n")
        #expect(!response.bodyText.contains("0xC0FFEE"))
        #expect(server.waitForLog(logged))
        let next = try RawHTTPClient(port: server.port)
        try next.send("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try next.readResponse().bodyText == "ok\n")
    }

    @Test("the 500 for a HEAD request that fails has the head of the GET answer and no body")
    func failureOnHead() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 5)
        try client.send("HEAD /throw HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse(forHead: true)
        #expect(response.status == 500)
        #expect(response.header("Content-Length") == "22")
        #expect(client.serverCloses())
    }

    @Test("an application that fails after its headers went out has its connection closed mid-body")
    func failureAfterStart() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /throw-after-start HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readLine() == "HTTP/1.1 200 OK")
        let rest = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(rest.contains("partial "))
        #expect(!rest.hasSuffix("0\r\n\r\n"), "a complete chunked body would hide the failure")
        #expect(client.peerClosed)
        #expect(server.waitForLog("failed after the response to GET /throw-after-start HTTP/1.1 started"))
        let next = try RawHTTPClient(port: server.port)
        try next.send("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try next.readResponse().status == 200)
    }

    @Test("an application that fails before its response started, and says nothing, is logged with its request line")
    func silentFailureLogged() throws {
        let server = try ServerProcess(application: "\(try CFixtures.probe.get()):inline_app")
        defer { server.stop() }
        let response = try server.request("GET", "/fail-silently?x=1")
        #expect(response.status == 500)
        #expect(response.bodyText == "Internal Server Error\n")
        #expect(
            server.waitForLog("application failed before the response to GET /fail-silently?x=1 HTTP/1.1 started"),
            "\(server.log)")
    }

    @Test(
        "finish(OK) without start_response returns SSGI_E_NOT_STARTED and the client gets a 500, validated or not",
        arguments: [[], ["--validate"]])
    func finishWithoutStart(arguments: [String]) throws {
        let server = try ServerProcess(
            application: "\(try CFixtures.probe.get()):thread_pool_app", arguments: arguments)
        defer { server.stop() }
        #expect(try server.request("GET", "/finish-without-start").status == 500)
        #expect(server.waitForLog("probe: finish without start_response returned"))
        #expect(server.log.contains("probe: finish without start_response returned -6"), "\(server.log)")
    }

    @Test(
        "start_response with error information after a non-empty write returns SSGI_E_HEADERS_SENT, though nothing was sent, validated or not",
        arguments: [[], ["--validate"]])
    func replaceAfterWrite(arguments: [String]) throws {
        let server = try ServerProcess(application: "\(try CFixtures.probe.get()):inline_app", arguments: arguments)
        defer { server.stop() }
        // The write was held back, so the failure still becomes a clean 500.
        #expect(try server.request("GET", "/replace-after-write").status == 500)
        #expect(server.waitForLog("probe: start_response with error information after a write returned"))
        #expect(
            server.log.contains("probe: start_response with error information after a write returned -2"),
            "\(server.log)")
    }
}

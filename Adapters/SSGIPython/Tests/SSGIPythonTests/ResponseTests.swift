import Foundation
import SwiftServeTesting
import Testing

/// `start_response(status, headers, exc_info=None)` and its `write()`, the iterable the
/// application returns, and what the server makes of them (PEP 3333).
@Suite("start_response and the body")
struct ResponseTests {
    @Test("write() sends at once, before the chunks of the iterable returned after it")
    func writeCallable() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", "/write")
        #expect(response.status == 200)
        #expect(response.bodyText == "one two three four\n")
        #expect(response.header("Transfer-Encoding") == "chunked")
    }

    @Test("a single-item list gets a Content-Length from the server")
    func contentLength() throws {
        let server = try PythonServer.start("wsgiapp:app")
        defer { server.stop() }
        let response = try server.request("GET", "/")
        #expect(response.header("Content-Length") == "44")
        #expect(response.header("Transfer-Encoding") == nil)
    }

    @Test("exc_info before any byte went out replaces the head: the error page is sent, the first head is not")
    func excInfoReplaces() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", "/exc-before")
        #expect(response.status == 503)
        #expect(response.header("X-First") == nil)
        #expect(response.bodyText == "replaced by the error page\n")
    }

    @Test("exc_info after the head went out re-raises: the response is cut, the traceback logged")
    func excInfoReraises() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send("GET /exc-after HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readLine() == "HTTP/1.1 200 OK")
        let rest = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(rest.contains("partial "))
        #expect(!rest.contains("0\r\n\r\n"), "a cut chunked response has no last chunk")
        #expect(PythonServer.waitForLog(server, "ValueError: a failure after the head"))
        #expect(server.log.contains("Error handling request GET /exc-after"))
    }

    @Test("a second start_response without exc_info raises AssertionError: a 500 and a log line")
    func secondStartResponse() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        #expect(try server.request("GET", "/second-start").status == 500)
        #expect(PythonServer.waitForLog(server, "AssertionError: start_response was already called"))
    }

    @Test("a generator may call start_response when first iterated; the head goes with the first non-empty chunk")
    func lazyStartResponse() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", "/lazy")
        #expect(response.status == 200)
        #expect(response.header("X-Lazy") == "yes")
        #expect(response.bodyText == "lazy body\n")
    }

    @Test("a generator that starts the response and yields nothing sends its head at the end")
    func lazyEmpty() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", "/lazy-empty")
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
    }

    @Test(
        "a body without start_response, or of str, is a 500 with the reason in the log",
        arguments: [
            ("/no-start", "without calling start_response"), ("/str-body", "must be bytes, not str"),
        ])
    func brokenBody(path: String, reason: String) throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", path)
        #expect(response.status == 500)
        #expect(!response.bodyText.contains("head"))
        #expect(PythonServer.waitForLog(server, reason), "\(server.log)")
    }

    @Test(
        "a status or header that breaks the rules is a 500 and a log line, never a split response",
        arguments: [
            ("crlf", "holds a control character"), ("nonlatin", "outside latin-1"), ("name", "is not an HTTP token"),
            ("bytes", "must hold two str"), ("status", "is not '<3 digits> <reason>'"), ("hop", "hop-by-hop"),
        ])
    func badHead(kind: String, reason: String) throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send("GET /bad-head?kind=\(kind) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.header("Set-Cookie") == nil)
        #expect(response.header("X-Split") == nil)
        #expect(!response.bodyText.contains("never sent"))
        #expect(PythonServer.waitForLog(server, reason), "\(server.log)")
        #expect(server.log.contains("Error handling request GET /bad-head?kind=\(kind)"))
    }

    @Test("several Set-Cookie headers are kept apart")
    func cookies() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", "/cookies")
        let cookies = response.headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value)
        #expect(cookies == ["a=1; Path=/", "b=2; HttpOnly", "c=3"])
    }

    @Test("an exception gives a 500 and its traceback in the log, and the worker goes on")
    func exception() throws {
        let server = try PythonServer.start("pep3333:app", bridgeArguments: ["--threads", "1"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        let failed = try client.exchange("GET", "/raise")
        #expect(failed.status == 500)
        #expect(!failed.bodyText.contains("on purpose"))
        #expect(PythonServer.waitForLog(server, "ValueError: raised by the application on purpose"))
        #expect(server.log.contains("Traceback (most recent call last):"))
        #expect(server.log.contains("in raise_view"))
        #expect(try server.request("GET", "/hello").bodyText == "hello\n")
        #expect(server.workerPIDs.count == 1)
        #expect(!server.log.contains("exited") && !server.log.contains("was killed"), "\(server.log)")
    }

    @Test("a HEAD request runs the application as GET and sends no body")
    func head() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        let response = try client.exchange("HEAD", "/hello")
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "6")
        #expect(try client.exchange("GET", "/hello").bodyText == "hello\n")
    }
}

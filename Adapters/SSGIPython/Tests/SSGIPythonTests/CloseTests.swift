import Foundation
import SwiftServeTesting
import Testing

/// `close()` of the iterable the application returns is called on every path (PEP 3333): after
/// the body, after an exception while iterating, and when the client went away mid-response.
@Suite("close()")
struct CloseTests {
    @Test("after the whole body")
    func afterBody() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        #expect(try server.request("GET", "/close?marker=complete").bodyText == "first\nsecond\nmore 0\n")
        #expect(PythonServer.waitForLog(server, "closed complete"))
    }

    @Test("after an exception while iterating, once the head went out: the connection is cut")
    func afterException() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send("GET /close?marker=failing&fail=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readLine() == "HTTP/1.1 200 OK")
        _ = try client.readUntilClosed()
        #expect(PythonServer.waitForLog(server, "closed failing"))
        #expect(PythonServer.waitForLog(server, "RuntimeError: failed while iterating failing"), "\(server.log)")
    }

    @Test("when the client goes away in the middle of a streamed response")
    func afterDisconnect() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        do {
            let client = try RawHTTPClient(port: server.port, timeout: 30)
            try client.send("GET /close?marker=abandoned&slow=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try client.readLine() == "HTTP/1.1 200 OK")
        }
        #expect(PythonServer.waitForLog(server, "closed abandoned"), "\(server.log)")
        #expect(!server.log.contains("Traceback"), "\(server.log)")
        #expect(try server.request("GET", "/hello").bodyText == "hello\n")
    }
}

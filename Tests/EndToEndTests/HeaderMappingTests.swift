import Foundation
import SwiftServeTesting
import Testing

/// docs/SPEC.md §6.3 and §6.4, one test per rule: how header fields become environ keys, seen
/// through the `environ` example, which answers with its environ as JSON.
@Suite("Header to environ mapping")
struct HeaderMappingTests {
    @Test("a header whose name contains _ is dropped, and its name logged at debug level")
    func underscoreNamesDropped() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--log-level", "debug"])
        defer { server.stop() }
        let environ = try Self.environ(
            of: "GET / HTTP/1.1\r\nHost: localhost\r\nContent_Length: 5\r\nX_Real_IP: 6.6.6.6\r\n"
                + "X-Real-IP: 10.0.0.1\r\nContent_Type: text/evil\r\n\r\n", port: server.port)
        #expect(environ["HTTP_X_REAL_IP"] == "10.0.0.1")
        #expect(environ["CONTENT_LENGTH"] == nil)
        #expect(environ["CONTENT_TYPE"] == nil)
        #expect(environ["HTTP_CONTENT_LENGTH"] == nil)
        #expect(!environ.values.contains("6.6.6.6"))
        #expect(!environ.values.contains("text/evil"))
        #expect(
            server.waitForLog(
                #"dropped headers with '_' in their names: ["Content_Length", "X_Real_IP", "Content_Type"]"#))
    }

    @Test("repeated fields are joined with \", \" in order of arrival, Cookie fields with \"; \"")
    func repeatedFieldsJoined() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let environ = try Self.environ(
            of: "GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nX-Other: x\r\naccept: application/json\r\n"
                + "Cookie: a=1\r\nCOOKIE: b=2\r\n\r\n", port: server.port)
        #expect(environ["HTTP_ACCEPT"] == "text/html, application/json")
        #expect(environ["HTTP_COOKIE"] == "a=1; b=2")
        #expect(environ["HTTP_X_OTHER"] == "x")
    }

    @Test("Content-Type and Content-Length appear only as CONTENT_TYPE and CONTENT_LENGTH")
    func contentFieldsOnlyAsCGIKeys() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let environ = try Self.environ(
            of: "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
            port: server.port)
        #expect(environ["CONTENT_TYPE"] == "text/plain")
        #expect(environ["CONTENT_LENGTH"] == "5")
        #expect(environ["HTTP_CONTENT_TYPE"] == nil)
        #expect(environ["HTTP_CONTENT_LENGTH"] == nil)
        #expect(environ["ssgi.input.bytes_read"] == "5")
    }

    @Test("a key is HTTP_ and the name upper-cased with - as _")
    func keyDerivation() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let environ = try Self.environ(
            of: "GET / HTTP/1.1\r\nhost: localhost\r\naccept-encoding: gzip\r\nX-Custom-Thing: 1\r\n\r\n",
            port: server.port)
        #expect(environ["HTTP_HOST"] == "localhost")
        #expect(environ["HTTP_ACCEPT_ENCODING"] == "gzip")
        #expect(environ["HTTP_X_CUSTOM_THING"] == "1")
    }

    @Test("field values are given without the whitespace around them")
    func valuesTrimmed() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let environ = try Self.environ(
            of: "POST / HTTP/1.1\r\nHost: localhost\r\nX-A: \t a b \t \r\nContent-Length: 5  \r\n\r\nhello",
            port: server.port)
        #expect(environ["HTTP_X_A"] == "a b")
        #expect(environ["CONTENT_LENGTH"] == "5")
        #expect(environ["ssgi.input.bytes_read"] == "5")
    }

    /// Sends `request` and returns the environ the `environ` example answered with.
    static func environ(of request: String, port: Int) throws -> [String: String] {
        let client = try RawHTTPClient(port: port)
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == 200)
        return try response.environ()
    }
}

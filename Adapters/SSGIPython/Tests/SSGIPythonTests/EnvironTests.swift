import Foundation
import SwiftServeTesting
import Testing

/// The environ (PEP 3333): every CGI value a native string (the request's bytes as latin-1),
/// the wsgi.* keys with their types, one HTTP_ key per header name.
@Suite("The environ")
struct EnvironTests {
    private func environ(_ server: ServerProcess, _ head: String, body: String = "") throws -> [String: Any] {
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send(head + "\r\n" + body)
        let response = try client.readResponse()
        return try #require(response.json, "\(response.bodyText) \(server.log)")
    }

    @Test("CGI values are str, decoded as latin-1: PATH_INFO of /environ/%C3%A9 is '/environ/Ã©'")
    func latin1() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let report = try self.environ(
            server,
            "GET /environ/%C3%A9?q=%C3%A9&x=1 HTTP/1.1\r\nHost: example.com:8080\r\nX-Latin: caf\u{e9}\r\n")
        let cgi = try #require(report["cgi"] as? [String: String])
        #expect(cgi["PATH_INFO"] == "/environ/Ã©")
        #expect(cgi["QUERY_STRING"] == "q=%C3%A9&x=1")
        #expect(cgi["REQUEST_METHOD"] == "GET")
        #expect(cgi["SCRIPT_NAME"] == "")
        #expect(cgi["SERVER_NAME"] == "example.com")
        #expect(cgi["SERVER_PORT"] == "8080")
        #expect(cgi["SERVER_PROTOCOL"] == "HTTP/1.1")
        #expect(cgi["REMOTE_ADDR"] == "127.0.0.1")
        #expect(cgi["HTTP_HOST"] == "example.com:8080")
        // The header's UTF-8 bytes, each read as one latin-1 character.
        #expect(cgi["HTTP_X_LATIN"] == "cafÃ©")
        #expect(cgi["REQUEST_URI"] == "/environ/%C3%A9?q=%C3%A9&x=1")
        #expect(cgi["SERVER_SOFTWARE"]?.hasPrefix("swiftserve") == true)
        #expect((report["not_str"] as? [String]) == [])
    }

    @Test("a verified client certificate's subject is SSL_CLIENT_S_DN, as mod_ssl names it; absent without one")
    func clientSubject() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try PythonServer.start(
            "pep3333:app",
            arguments: certificates.serverArguments + ["--ca-certs", certificates.authority, "--cert-reqs", "optional"])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/environ"
        let client = ["--cert", certificates.clientCertificate, "--key", certificates.clientKey]
        func cgi(_ arguments: [String]) throws -> [String: String] {
            let result = try CommandResult.curl(["-sSk"] + arguments + [url])
            let report = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any]
            return try #require(report?["cgi"] as? [String: String], "\(result.outputText) \(result.standardError)")
        }
        #expect(try cgi(client)["SSL_CLIENT_S_DN"] == "O=Example Clients,CN=alice")
        #expect(try cgi([])["SSL_CLIENT_S_DN"] == nil)
    }

    @Test("no HTTP_CONTENT_TYPE or HTTP_CONTENT_LENGTH; CONTENT_TYPE and CONTENT_LENGTH only when sent")
    func contentKeys() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let withBody = try #require(
            try self.environ(
                server,
                "POST /environ HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n",
                body: "hello")["cgi"] as? [String: String])
        #expect(withBody["CONTENT_TYPE"] == "text/plain")
        #expect(withBody["CONTENT_LENGTH"] == "5")
        #expect(withBody["HTTP_CONTENT_TYPE"] == nil)
        #expect(withBody["HTTP_CONTENT_LENGTH"] == nil)
        let without = try #require(
            try self.environ(server, "GET /environ HTTP/1.1\r\nHost: localhost\r\n")["cgi"] as? [String: String])
        #expect(without["CONTENT_TYPE"] == nil)
        #expect(without["CONTENT_LENGTH"] == nil)
    }

    @Test("repeated headers are joined with ', ', Cookie with '; '")
    func repeatedHeaders() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let cgi = try #require(
            try self.environ(
                server,
                "GET /environ HTTP/1.1\r\nHost: localhost\r\nX-Multi: one\r\nx-multi: two\r\nCookie: a=1\r\nCookie: b=2\r\n"
            )["cgi"] as? [String: String])
        #expect(cgi["HTTP_X_MULTI"] == "one, two")
        #expect(cgi["HTTP_COOKIE"] == "a=1; b=2")
    }

    @Test("wsgi.version is the tuple (1, 0); url_scheme is http; multithread, multiprocess and run_once are bools")
    func wsgiKeys() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let report = try self.environ(server, "GET /environ HTTP/1.1\r\nHost: localhost\r\n")
        #expect((report["wsgi.version"] as? [Int]) == [1, 0])
        #expect(report["version_is_tuple"] as? Bool == true)
        #expect(report["wsgi.url_scheme"] as? String == "http")
        #expect((report["flag_types"] as? [String]) == ["bool"])
        let flags = try #require(report["flags"] as? [String: Bool])
        #expect(flags == ["wsgi.multithread": true, "wsgi.multiprocess": true, "wsgi.run_once": false])
        #expect((report["input_methods"] as? [String]) == ["read", "readline", "readlines", "__iter__"])
        #expect((report["errors_methods"] as? [String]) == ["write", "writelines", "flush"])
        #expect(report["file_wrapper"] as? Bool == true)
        #expect(report["wsgi.input_terminated"] as? Bool == true)
    }

    @Test("in one process without workers, wsgi.multiprocess is false")
    func singleProcess() throws {
        let server = try PythonServer.start("pep3333:app", arguments: ["--workers", "0"])
        defer { server.stop() }
        let report = try self.environ(server, "GET /environ HTTP/1.1\r\nHost: localhost\r\n")
        #expect((report["flags"] as? [String: Bool])?["wsgi.multiprocess"] == false)
    }

    @Test("behind a trusted proxy, X-Forwarded-Proto https gives wsgi.url_scheme https")
    func forwardedScheme() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let report = try self.environ(
            server, "GET /environ HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Proto: https\r\n")
        #expect(report["wsgi.url_scheme"] as? String == "https")
    }
}

import NIOCore
import NIOHTTP1
import Testing

@testable import SwiftServe

/// The CGI values of a request, worked out from its head and connection.
@Suite("RequestEnvironment")
struct RequestEnvironmentTests {
    static func connection(urlScheme: String = "http") throws -> ConnectionInfo {
        ConnectionInfo(
            local: try SocketAddress(ipAddress: "127.0.0.1", port: 8888),
            remote: try SocketAddress(ipAddress: "10.0.0.2", port: 54321), urlScheme: urlScheme)
    }

    static func environment(
        _ method: HTTPMethod = .GET, _ uri: String, version: HTTPVersion = .http1_1,
        headers: [(String, String)] = [], urlScheme: String = "http"
    ) throws -> EnvironmentValues {
        let head = HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(headers))
        return EnvironmentValues(head: head, connection: try self.connection(urlScheme: urlScheme), flags: 0)
    }

    // MARK: Static helpers

    @Test(
        "originForm reduces an absolute-form target to its path and query",
        arguments: [
            ("/a?b", "/a?b"), ("http://h:1/p?q", "/p?q"), ("http://h", "/"), ("http://h?x", "/?x"), ("*", "*"),
            ("https://example.com/a/b", "/a/b"), ("/x://y", "/x://y"),
        ])
    func originForm(uri: String, expected: String) {
        #expect(RequestEnvironment.originForm(uri) == expected)
    }

    @Test(
        "split(host:scheme:) separates name and port, with the scheme's default port when none is given",
        arguments: [
            ("example.com:8080", "http", "example.com", "8080"),
            ("example.com", "http", "example.com", "80"),
            ("example.com", "https", "example.com", "443"),
            ("[::1]:9000", "http", "[::1]", "9000"),
            ("[::1]", "http", "[::1]", "80"),
            ("[::1]", "https", "[::1]", "443"),
        ])
    func split(host: String, scheme: String, name: String, port: String) {
        let (splitName, splitPort) = RequestEnvironment.split(host: host, scheme: scheme)
        #expect(splitName == name)
        #expect(splitPort == port)
    }

    // MARK: From a request head

    @Test("the method, the decoded path, the raw query and the target as sent are taken from the request line")
    func requestLine() throws {
        let environment = try Self.environment(.POST, "/a%20b/c?x=%20y&z", headers: [("Host", "example.com")])
        #expect(environment.requestMethod == "POST")
        #expect(environment.scriptName == "")
        #expect(environment.pathInfo == Array("/a b/c".utf8))
        #expect(environment.queryString == "x=%20y&z")
        #expect(environment.requestURI == "/a%20b/c?x=%20y&z")
        #expect(environment.serverProtocol == "HTTP/1.1")
    }

    @Test("an absolute-form target gives the path and query of its origin form")
    func absoluteForm() throws {
        let environment = try Self.environment(.GET, "http://example.com/p%41th?q=1", headers: [("Host", "h")])
        #expect(environment.pathInfo == Array("/pAth".utf8))
        #expect(environment.queryString == "q=1")
        #expect(environment.requestURI == "http://example.com/p%41th?q=1")
    }

    @Test("a target without a query has an empty QUERY_STRING")
    func noQuery() throws {
        let environment = try Self.environment(.GET, "/x", headers: [("Host", "h")])
        #expect(environment.pathInfo == Array("/x".utf8))
        #expect(environment.queryString == "")
    }

    @Test("SERVER_NAME and SERVER_PORT come from the Host header")
    func serverFromHost() throws {
        let environment = try Self.environment(.GET, "/", headers: [("host", "example.com:8080")])
        #expect(environment.serverName == "example.com")
        #expect(environment.serverPort == "8080")
        let https = try Self.environment(.GET, "/", headers: [("Host", "example.com")], urlScheme: "https")
        #expect(https.serverName == "example.com")
        #expect(https.serverPort == "443")
        #expect(https.urlScheme == "https")
    }

    @Test("without a Host header SERVER_NAME and SERVER_PORT come from the local address")
    func serverFromLocalAddress() throws {
        let environment = try Self.environment(.GET, "/", version: .http1_0)
        #expect(environment.serverName == "127.0.0.1")
        #expect(environment.serverPort == "8888")
        let emptyHost = try Self.environment(.GET, "/", headers: [("Host", "")])
        #expect(emptyHost.serverName == "127.0.0.1")
        #expect(emptyHost.serverPort == "8888")
    }

    @Test("REMOTE_ADDR and REMOTE_PORT are the client's address")
    func remote() throws {
        let environment = try Self.environment(.GET, "/", headers: [("Host", "h")])
        #expect(environment.remoteAddr == "10.0.0.2")
        #expect(environment.remotePort == "54321")
        #expect(environment.urlScheme == "http")
    }

    @Test("headers whose names contain '_' are dropped, the others kept in order as spelled")
    func underscoreHeadersDropped() throws {
        let environment = try Self.environment(
            .POST, "/",
            headers: [
                ("Host", "h"), ("Content_Length", "99"), ("X-A", "1"), ("X_Forwarded_For", "6.6.6.6"),
                ("content-length", "3"), ("x-a", "2"), ("Content_Type", "evil/type"),
            ])
        #expect(
            environment.headers.map { [$0.name, $0.value] } == [
                ["Host", "h"], ["X-A", "1"], ["content-length", "3"], ["x-a", "2"],
            ])
        #expect(environment.contentLength == "3")
        #expect(environment.bodyLength == 3)
        #expect(environment.contentType == "")
    }

    @Test("CONTENT_TYPE and CONTENT_LENGTH are taken from the headers, which stay in the list")
    func contentHeaders() throws {
        let environment = try Self.environment(
            .POST, "/", headers: [("Host", "h"), ("Content-Type", "text/plain"), ("Content-Length", "5")])
        #expect(environment.contentType == "text/plain")
        #expect(environment.contentLength == "5")
        #expect(environment.bodyLength == 5)
        #expect(environment.headers.map(\.name) == ["Host", "Content-Type", "Content-Length"])
    }

    @Test("a chunked body has bodyLength -1 and an empty CONTENT_LENGTH, even next to a Content-Length")
    func chunked() throws {
        let environment = try Self.environment(
            .POST, "/", headers: [("Host", "h"), ("Transfer-Encoding", "chunked")])
        #expect(environment.bodyLength == -1)
        #expect(environment.contentLength == "")
        let both = try Self.environment(
            .POST, "/", headers: [("Host", "h"), ("Content-Length", "5"), ("Transfer-Encoding", "chunked")])
        #expect(both.bodyLength == -1)
        #expect(both.contentLength == "")
    }

    @Test("a request without Content-Length or Transfer-Encoding has no body")
    func noBody() throws {
        let environment = try Self.environment(.GET, "/", headers: [("Host", "h")])
        #expect(environment.bodyLength == 0)
        #expect(environment.contentLength == "")
        #expect(environment.contentType == "")
    }

    @Test("an HTTP/1.0 request has SERVER_PROTOCOL HTTP/1.0")
    func http10() throws {
        #expect(try Self.environment(.GET, "/", version: .http1_0).serverProtocol == "HTTP/1.0")
    }

    @Test("the flags are passed through")
    func flags() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        let environment = EnvironmentValues(head: head, connection: try Self.connection(), flags: 0b101)
        #expect(environment.flags == 0b101)
    }

    @Test("on a unix socket SERVER_NAME is localhost and SERVER_PORT, REMOTE_ADDR and REMOTE_PORT are empty")
    func unixSocket() throws {
        let address = try SocketAddress(unixDomainSocketPath: "/tmp/x.sock")
        let connection = ConnectionInfo(local: address, remote: address)
        #expect(connection.serverName == "localhost")
        #expect(connection.serverPort == "")
        #expect(connection.remoteAddr == "")
        #expect(connection.remotePort == "")
        let head = HTTPRequestHead(version: .http1_0, method: .GET, uri: "/")
        let environment = EnvironmentValues(head: head, connection: connection, flags: 0)
        #expect(environment.serverName == "localhost")
        #expect(environment.serverPort == "")
        #expect(environment.remoteAddr == "")
        #expect(environment.remotePort == "")
    }

    @Test("an IPv6 connection reports the client's address without brackets")
    func ipv6Connection() throws {
        let connection = ConnectionInfo(
            local: try SocketAddress(ipAddress: "::1", port: 9000),
            remote: try SocketAddress(ipAddress: "::1", port: 40000))
        #expect(connection.serverPort == "9000")
        #expect(connection.remoteAddr == "::1")
        #expect(connection.remotePort == "40000")
    }

    @Test("a Host header with an empty port gives the scheme's default port")
    func emptyHostPort() {
        let (name, port) = RequestEnvironment.split(host: "example.com:", scheme: "http")
        #expect(name == "example.com")
        #expect(port == "80")
        let (v6Name, v6Port) = RequestEnvironment.split(host: "[::1]:", scheme: "https")
        #expect(v6Name == "[::1]")
        #expect(v6Port == "443")
    }

    @Test("an IPv6 SERVER_NAME is bracketed whether it comes from Host or from the local address")
    func ipv6ServerName() throws {
        let connection = ConnectionInfo(
            local: try SocketAddress(ipAddress: "::1", port: 9000),
            remote: try SocketAddress(ipAddress: "::1", port: 40000))
        let fromHost = EnvironmentValues(
            head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "[::1]:9000"]),
            connection: connection, flags: 0)
        let fromAddress = EnvironmentValues(
            head: HTTPRequestHead(version: .http1_0, method: .GET, uri: "/"), connection: connection, flags: 0)
        #expect(fromHost.serverName == "[::1]")
        #expect(fromAddress.serverName == fromHost.serverName)
    }
}

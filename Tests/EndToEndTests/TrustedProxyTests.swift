import Foundation
import SwiftServeTesting
import Testing

/// `--forwarded-allow-ips` and PROXY protocol binds (docs/SPEC.md §6.2): only trusted peers'
/// forwarding headers change REMOTE_ADDR, `ssgi.url_scheme`, SERVER_NAME and SERVER_PORT. Any
/// address of 127.0.0.0/8 reaches this machine, so a client bound to 127.0.0.2 is a stranger.
@Suite("Trusted proxies")
struct TrustedProxyTests {
    static let forwardedRequest =
        "GET / HTTP/1.1\r\nHost: internal:8000\r\nX-Forwarded-For: 6.6.6.6, 203.0.113.9\r\n"
        + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n\r\n"

    @Test(
        "by default a trusted peer's X-Forwarded-For and -Proto set REMOTE_ADDR and the scheme; -Host and Forwarded change nothing"
    )
    func trustedPeer() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let environ = try Self.environ(
            Self.forwardedRequest.replacingOccurrences(
                of: "\r\n\r\n", with: "\r\nForwarded: for=7.7.7.7;proto=http;host=evil.example\r\n\r\n"),
            RawHTTPClient(port: server.port))
        #expect(environ["REMOTE_ADDR"] == "203.0.113.9")
        #expect(environ["REMOTE_PORT"] == "")
        #expect(environ["ssgi.url_scheme"] == "https")
        #expect(environ["SERVER_NAME"] == "internal")
        #expect(environ["SERVER_PORT"] == "8000")
        // The fields stay visible as they came.
        #expect(environ["HTTP_X_FORWARDED_FOR"] == "6.6.6.6, 203.0.113.9")
        #expect(environ["HTTP_X_FORWARDED_HOST"] == "shop.example")
        #expect(environ["HTTP_FORWARDED"] == "for=7.7.7.7;proto=http;host=evil.example")
    }

    @Test("--forwarded-headers adds X-Forwarded-Host, which then sets SERVER_NAME and SERVER_PORT")
    func forwardedHost() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: ["--forwarded-headers", "x-forwarded-for,x-forwarded-proto,x-forwarded-host"])
        defer { server.stop() }
        let environ = try Self.environ(Self.forwardedRequest, RawHTTPClient(port: server.port))
        #expect(environ["REMOTE_ADDR"] == "203.0.113.9")
        #expect(environ["ssgi.url_scheme"] == "https")
        #expect(environ["SERVER_NAME"] == "shop.example")
        #expect(environ["SERVER_PORT"] == "443")
    }

    @Test("--forwarded-headers none believes no forwarding header, even from a unix socket")
    func noFields() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-none-\(getpid()).sock")
            .path
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: ["--bind", "unix:\(path)", "--forwarded-headers", "none"])
        defer { server.stop() }
        let environ = try Self.environ(Self.forwardedRequest, RawHTTPClient(unixSocket: path))
        #expect(environ["REMOTE_ADDR"] == "")
        #expect(environ["ssgi.url_scheme"] == "http")
        #expect(environ["SERVER_NAME"] == "internal")
    }

    @Test("a malformed --forwarded-headers is a wrong command line")
    func malformedFields() throws {
        let result = try CommandResult.swiftserve([
            "--forwarded-headers", "x-real-ip", "--bind", "127.0.0.1:0", BuildProducts.plugin("environ"),
        ])
        #expect(result.status == 2)
        #expect(
            result.standardError
                == "swiftserve: error: malformed --forwarded-headers: 'x-real-ip' is not a forwarding header swiftserve reads: give some of forwarded, x-forwarded-for, x-forwarded-proto, x-forwarded-host, or none\n"
        )
    }

    @Test("from any other peer the forwarding headers are plain headers and change nothing")
    func untrustedPeer() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let environ = try Self.environ(
            Self.forwardedRequest.replacingOccurrences(
                of: "\r\n\r\n", with: "\r\nForwarded: for=1.1.1.1;proto=https;host=evil.example\r\n\r\n"),
            RawHTTPClient(port: server.port, from: "127.0.0.2"))
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2")
        #expect(environ["REMOTE_PORT"] != "")
        #expect(environ["ssgi.url_scheme"] == "http")
        #expect(environ["SERVER_NAME"] == "internal")
        #expect(environ["SERVER_PORT"] == "8000")
        #expect(environ["HTTP_X_FORWARDED_FOR"] == "6.6.6.6, 203.0.113.9")
        #expect(environ["HTTP_X_FORWARDED_PROTO"] == "https")
        #expect(environ["HTTP_FORWARDED"] == "for=1.1.1.1;proto=https;host=evil.example")
    }

    @Test("--forwarded-allow-ips takes CIDR networks, and an empty list trusts no TCP peer")
    func allowList() throws {
        let network = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--forwarded-allow-ips", "127.0.0.0/8"])
        defer { network.stop() }
        let trusted = try Self.environ(Self.forwardedRequest, RawHTTPClient(port: network.port, from: "127.0.0.2"))
        #expect(trusted["REMOTE_ADDR"] == "203.0.113.9")
        let nobody = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--forwarded-allow-ips", ""])
        defer { nobody.stop() }
        let untrusted = try Self.environ(Self.forwardedRequest, RawHTTPClient(port: nobody.port))
        #expect(untrusted["REMOTE_ADDR"] == "127.0.0.1")
        #expect(untrusted["ssgi.url_scheme"] == "http")
    }

    @Test("::1 is trusted by default")
    func ipv6Loopback() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"), arguments: ["--bind", "[::1]:0"])
        defer { server.stop() }
        let environ = try Self.environ(Self.forwardedRequest, RawHTTPClient(port: server.port, host: "::1"))
        #expect(environ["REMOTE_ADDR"] == "203.0.113.9")
    }

    @Test(
        "with --forwarded-headers forwarded, RFC 7239 Forwarded from a trusted peer sets the client, the scheme and the host"
    )
    func forwardedHeader() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--forwarded-headers", "forwarded"])
        defer { server.stop() }
        let environ = try Self.environ(
            "GET / HTTP/1.1\r\nHost: internal\r\nForwarded: for=\"[2001:db8:cafe::17]:4711\";proto=https;host=\"example.org:8443\"\r\n\r\n",
            RawHTTPClient(port: server.port))
        #expect(environ["REMOTE_ADDR"] == "2001:db8:cafe::17")
        #expect(environ["REMOTE_PORT"] == "4711")
        #expect(environ["ssgi.url_scheme"] == "https")
        #expect(environ["SERVER_NAME"] == "example.org")
        #expect(environ["SERVER_PORT"] == "8443")
    }

    @Test("a unix-socket peer is trusted")
    func unixSocketPeer() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-trust-\(getpid()).sock")
            .path
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--bind", "unix:\(path)"])
        defer { server.stop() }
        let environ = try Self.environ(Self.forwardedRequest, RawHTTPClient(unixSocket: path))
        #expect(environ["REMOTE_ADDR"] == "203.0.113.9")
        #expect(environ["ssgi.url_scheme"] == "https")
    }

    @Test("the access log records the client a trusted proxy names")
    func accessLog() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-forwarded-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--access-log", file.path])
        _ = try Self.environ(Self.forwardedRequest, RawHTTPClient(port: server.port))
        #expect(server.stop() == 0)
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("203.0.113.9 - - ["))
    }

    // MARK: PROXY protocol

    @Test("on a proxy: bind, a PROXY v1 or v2 header gives REMOTE_ADDR, REMOTE_PORT and the accepting address")
    func proxyProtocol() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--bind", "proxy:127.0.0.1:0"])
        defer { server.stop() }
        let v1 = try Self.environ(
            "PROXY TCP4 198.51.100.7 192.0.2.10 51000 443\r\nGET / HTTP/1.0\r\n\r\n", RawHTTPClient(port: server.port))
        #expect(v1["REMOTE_ADDR"] == "198.51.100.7")
        #expect(v1["REMOTE_PORT"] == "51000")
        #expect(v1["SERVER_NAME"] == "192.0.2.10")
        #expect(v1["SERVER_PORT"] == "443")
        let header: [UInt8] =
            [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x21, 0x00, 36]
            + [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [7] + [UInt8](repeating: 0, count: 15) + [1]
            + [0xC7, 0x38, 0x1F, 0x90]
        let client = try RawHTTPClient(port: server.port)
        try client.send(header)
        let v2 = try Self.environ("GET / HTTP/1.1\r\nHost: app.example\r\n\r\n", client)
        #expect(v2["REMOTE_ADDR"] == "2001:db8::7")
        #expect(v2["REMOTE_PORT"] == "51000")
        #expect(v2["SERVER_NAME"] == "app.example")
    }

    @Test("on a proxy: bind, the PROXY header's addresses reach the streams of an HTTP/2 connection")
    func proxyProtocolHTTP2() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--bind", "proxy:127.0.0.1:0"])
        defer { server.stop() }
        let environ = try HTTP2Tests.h2(server.port, "environ", proxyHeader: true)
        #expect(environ["SERVER_PROTOCOL"] as? String == "HTTP/2", "\(environ)")
        #expect(environ["REMOTE_ADDR"] as? String == "198.51.100.7")
        #expect(environ["REMOTE_PORT"] as? String == "51000")
        // The stream's :authority is its Host, as a Host header is over HTTP/1.1.
        #expect(environ["SERVER_NAME"] as? String == "example.test")
    }

    @Test("after a PROXY header, the client's own X-Forwarded-For is a plain header")
    func proxyProtocolThenForwarded() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--bind", "proxy:127.0.0.1:0"])
        defer { server.stop() }
        let environ = try Self.environ(
            "PROXY TCP4 198.51.100.7 192.0.2.10 51000 443\r\n" + Self.forwardedRequest, RawHTTPClient(port: server.port)
        )
        #expect(environ["REMOTE_ADDR"] == "198.51.100.7")
        #expect(environ["ssgi.url_scheme"] == "http")
    }

    @Test("a proxy: bind closes a connection without a PROXY header, or from a peer it does not trust")
    func proxyProtocolRefusals() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: ["--bind", "proxy:127.0.0.1:0", "--log-level", "debug"])
        defer { server.stop() }
        let plain = try RawHTTPClient(port: server.port)
        try plain.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try plain.readUntilClosed().isEmpty)
        #expect(server.waitForLog("the connection does not start with a PROXY protocol header"))
        let stranger = try RawHTTPClient(port: server.port, from: "127.0.0.2")
        try? stranger.send("PROXY TCP4 198.51.100.7 192.0.2.10 51000 443\r\nGET / HTTP/1.0\r\n\r\n")
        #expect(try stranger.readUntilClosed().isEmpty)
        #expect(server.waitForLog("from 127.0.0.2, which --forwarded-allow-ips does not trust"))
    }

    /// Sends `request` on `client` and returns the environ the `environ` example answered with.
    static func environ(_ request: String, _ client: RawHTTPClient) throws -> [String: String] {
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == 200)
        return try response.environ()
    }
}

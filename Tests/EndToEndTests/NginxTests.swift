import Foundation
import SwiftServeTesting
import Testing

/// Behind nginx, for real (docs/DEPLOYMENT.md): Debian's nginx on 127.0.0.1 proxies to swiftserve
/// over a unix socket with the usual `proxy_set_header` lines, and the `environ` example says what
/// the application sees. Clients connect from 127.0.0.2, so that their address is not one the
/// server trusts and differs from nginx's.
@Suite(
    "Behind nginx",
    .enabled(
        if: TestEnvironment.runs(
            needing: TestEnvironment.executable("nginx") != nil && TestEnvironment.executable("openssl") != nil),
        "needs nginx and openssl (apt-get install -y nginx openssl)"))
final class NginxTests {
    let directory: URL
    let server: ServerProcess
    let nginx: NginxProcess

    init() throws {
        // Readable by nginx's workers (nobody) when the tests run as root: they traverse it to the socket.
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-nginx-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: self.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let socket = self.directory.appendingPathComponent("app.sock").path
        var arguments = ["--bind", "unix:\(socket)", "--bind", "127.0.0.1:0", "--umask", "007"]
        if TestEnvironment.isRoot { arguments += ["--group", "nogroup"] }
        self.server = try ServerProcess(application: BuildProducts.plugin("environ"), arguments: arguments)
        self.nginx = try NginxProcess(upstream: "unix:\(socket)", directory: self.directory)
    }

    deinit {
        self.nginx.stop()
        self.server.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// What the application saw of a request curl sent from 127.0.0.2 with `arguments`.
    func environ(_ url: String, _ arguments: [String] = []) throws -> [String: String] {
        let result = try CommandResult.curl(
            ["-sk", "--interface", "127.0.0.2", "--fail-with-body"] + arguments + [url])
        #expect(result.status == 0, "curl: \(result.standardError)\nnginx: \(self.nginx.log)")
        let environ = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: String]
        return try #require(environ, "\(result.outputText)")
    }

    @Test("the application sees the client's address, the scheme http and nginx's host and port")
    func plainHTTP() throws {
        let environ = try self.environ("http://127.0.0.1:\(self.nginx.port)/path?q=1")
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2")
        #expect(environ["ssgi.url_scheme"] == "http")
        #expect(environ["SERVER_NAME"] == "127.0.0.1")
        #expect(environ["SERVER_PORT"] == String(self.nginx.port))
        #expect(environ["PATH_INFO"] == "/path")
        #expect(environ["QUERY_STRING"] == "q=1")
        #expect(environ["HTTP_X_FORWARDED_FOR"] == "127.0.0.2")
    }

    @Test("over TLS at nginx, the application sees the scheme https")
    func tls() throws {
        let environ = try self.environ("https://127.0.0.1:\(self.nginx.tlsPort)/")
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2")
        #expect(environ["ssgi.url_scheme"] == "https")
        #expect(environ["SERVER_PORT"] == String(self.nginx.tlsPort))
    }

    @Test("a client that sends its own forwarding headers through nginx cannot spoof its address or scheme")
    func spoofThroughNginx() throws {
        let environ = try self.environ(
            "http://127.0.0.1:\(self.nginx.port)/",
            ["-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Proto: https", "-H", "X_Forwarded_For: 7.7.7.7"])
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2")
        #expect(environ["ssgi.url_scheme"] == "http")
        // nginx appended the client's address to the one it was sent.
        #expect(environ["HTTP_X_FORWARDED_FOR"] == "6.6.6.6, 127.0.0.2")
        #expect(!environ.values.contains("7.7.7.7"))
    }

    @Test("a client that connects to swiftserve directly cannot spoof its address or scheme")
    func spoofDirectly() throws {
        let environ = try self.environ(
            "http://127.0.0.1:\(self.server.port)/",
            [
                "-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Forwarded-Proto: https", "-H",
                "X-Forwarded-Host: evil.example",
                "-H", "Forwarded: for=6.6.6.6;proto=https",
            ])
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2")
        #expect(environ["ssgi.url_scheme"] == "http")
        #expect(environ["SERVER_NAME"] == "127.0.0.1")
        #expect(environ["HTTP_X_FORWARDED_FOR"] == "6.6.6.6")
    }

    @Test("a request nginx passes on with a body arrives whole")
    func body() throws {
        let payload = String(repeating: "swiftserve behind nginx\n", count: 10_000)
        let file = self.directory.appendingPathComponent("payload")
        try payload.write(to: file, atomically: true, encoding: .utf8)
        let environ = try self.environ(
            "http://127.0.0.1:\(self.nginx.port)/upload", ["--data-binary", "@\(file.path)"])
        #expect(environ["CONTENT_LENGTH"] == String(payload.utf8.count))
        #expect(environ["ssgi.input.bytes_read"] == String(payload.utf8.count))
    }
}

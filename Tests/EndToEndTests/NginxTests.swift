import Foundation
import SwiftServeTesting
import Testing

/// Behind nginx, for real (docs/DEPLOYMENT.md): Debian's nginx runs the guide's own site
/// configuration, read from the guide, with only its ports, socket path and certificate replaced,
/// and proxies over the unix socket to swiftserve serving the `environ` example, which says what
/// the application sees. Clients connect from 127.0.0.2, so that their address is not one the
/// server trusts and differs from nginx's. When the tests run as root, swiftserve serves as the
/// guide has it (`--user`, `--group www-data`, `--umask 007`) and nginx's workers run as www-data.
///
/// swiftserve believes every forwarding header here (`--forwarded-headers` with all four), so
/// that what reaches the application is what nginx lets through, not what swiftserve ignores.
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

    /// The host name the guide's configuration serves.
    static let host = "app.example.com"

    /// Every forwarding header a client could send, each with a value that would change what the
    /// application sees if it got through.
    static let spoofs: [(String, String)] = [
        ("Forwarded", "for=7.7.7.7;proto=https;host=evil.example"),
        ("Forwarded", "for=7.7.7.7, for=127.0.0.1;proto=https"),
        ("forwarded", "for=\"[2001:db8::7]:77\";proto=https"),
        ("X-Forwarded-For", "7.7.7.7"),
        ("X-Forwarded-For", "7.7.7.7, 127.0.0.1"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "evil.example:8443"),
        ("X-FORWARDED-HOST", "evil.example"),
        ("X-Forwarded-Port", "8443"),
        ("X-Forwarded-Prefix", "/evil"),
        ("X-Forwarded-Ssl", "on"),
        ("X-Forwarded-Protocol", "https"),
        ("X-Forwarded-Scheme", "https"),
        ("X-Real-IP", "7.7.7.7"),
        ("X_Forwarded_For", "7.7.7.7"),
    ]

    /// What of the spoofed values may never appear in any header the application sees (a spoofed
    /// port or flag is checked by its key, as nginx's own values could contain it).
    static let spoofedValues = ["7.7.7.7", "2001:db8::7", "evil"]

    init() throws {
        // Traversable by nginx's workers when the tests run as root: they go through it to the socket.
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-nginx-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: self.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let socket = self.directory.appendingPathComponent("app.sock").path
        var arguments = [
            "--bind", "unix:\(socket)", "--bind", "127.0.0.1:0", "--umask", "007", "--forwarded-headers",
            "forwarded,x-forwarded-for,x-forwarded-proto,x-forwarded-host",
        ]
        if TestEnvironment.isRoot { arguments += ["--user", "nobody", "--group", "www-data"] }
        self.server = try ServerProcess(application: BuildProducts.plugin("environ"), arguments: arguments)
        let site = try DeploymentGuide.block("nginx", containing: "upstream swiftserve")
        self.nginx = try NginxProcess(directory: self.directory) { listening in
            try DeploymentGuide.replacing(
                site,
                [
                    "unix:/run/myapp/app.sock": "unix:\(socket)",
                    "listen 80": "listen 127.0.0.1:\(listening.port)",
                    "listen 443 ssl": "listen 127.0.0.1:\(listening.tlsPort) ssl",
                    "/etc/letsencrypt/live/app.example.com/fullchain.pem": listening.certificate,
                    "/etc/letsencrypt/live/app.example.com/privkey.pem": listening.key,
                ])
        }
    }

    deinit {
        self.nginx.stop()
        self.server.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// curl from 127.0.0.2 with `arguments`, resolving the guide's host name to 127.0.0.1.
    func curl(_ url: String, _ arguments: [String] = []) throws -> CommandResult {
        try CommandResult.curl(
            [
                "-sk", "--interface", "127.0.0.2", "--resolve", "\(Self.host):\(self.nginx.port):127.0.0.1",
                "--resolve", "\(Self.host):\(self.nginx.tlsPort):127.0.0.1",
            ] + arguments + [url])
    }

    /// What the application saw of a request curl sent with `arguments`.
    func environ(_ url: String, _ arguments: [String] = []) throws -> [String: String] {
        let result = try self.curl(url, ["--fail-with-body"] + arguments)
        #expect(result.status == 0, "curl: \(result.standardError)\nnginx: \(self.nginx.log)")
        let environ = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: String]
        return try #require(environ, "\(result.outputText)")
    }

    var http: String { "http://\(Self.host):\(self.nginx.port)" }
    var https: String { "https://\(Self.host):\(self.nginx.tlsPort)" }

    @Test("over HTTP the application sees the client's address, the scheme http and the host nginx serves")
    func plainHTTP() throws {
        let environ = try self.environ("\(self.http)/path?q=1")
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2")
        #expect(environ["ssgi.url_scheme"] == "http")
        #expect(environ["SERVER_NAME"] == Self.host)
        #expect(environ["SERVER_PORT"] == "80")
        #expect(environ["PATH_INFO"] == "/path")
        #expect(environ["QUERY_STRING"] == "q=1")
        #expect(environ["HTTP_X_FORWARDED_FOR"] == "127.0.0.2")
        #expect(environ["HTTP_X_REAL_IP"] == "127.0.0.2")
        #expect(environ["HTTP_X_FORWARDED_PORT"] == String(self.nginx.port))
    }

    @Test("over TLS at nginx, the application sees the scheme https")
    func tls() throws {
        let environ = try self.environ("\(self.https)/")
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2")
        #expect(environ["ssgi.url_scheme"] == "https")
        #expect(environ["SERVER_NAME"] == Self.host)
        #expect(environ["SERVER_PORT"] == "443")
    }

    /// Checks that nothing of the spoofed headers reached the application over `scheme`.
    private func expectNothingThrough(_ environ: [String: String], scheme: String, sent: String) {
        #expect(environ["REMOTE_ADDR"] == "127.0.0.2", "\(sent)")
        #expect(environ["REMOTE_PORT"] != "77", "\(sent)")
        #expect(environ["ssgi.url_scheme"] == scheme, "\(sent)")
        #expect(environ["SERVER_NAME"] == Self.host, "\(sent)")
        #expect(environ["SERVER_PORT"] == (scheme == "https" ? "443" : "80"), "\(sent)")
        #expect(environ["SCRIPT_NAME"] == "", "\(sent)")
        for key in [
            "HTTP_FORWARDED", "HTTP_X_FORWARDED_PREFIX", "HTTP_X_FORWARDED_SSL", "HTTP_X_FORWARDED_PROTOCOL",
            "HTTP_X_FORWARDED_SCHEME",
        ] {
            #expect(environ[key] == nil, "\(key) got through: \(sent)")
        }
        #expect(environ["HTTP_X_FORWARDED_PROTO"] == scheme, "\(sent)")
        #expect(environ["HTTP_X_FORWARDED_PORT"] == String(scheme == "https" ? self.nginx.tlsPort : self.nginx.port))
        let leaked = environ.filter { key, value in
            key.hasPrefix("HTTP_") && Self.spoofedValues.contains { value.contains($0) }
        }
        #expect(leaked.isEmpty, "\(sent): \(leaked)")
    }

    @Test(
        "no forwarding header a client sends through nginx reaches the application, over HTTP or TLS",
        arguments: Self.spoofs.indices)
    func spoofThroughNginx(index: Int) throws {
        let (name, value) = Self.spoofs[index]
        for (url, scheme) in [(self.http, "http"), (self.https, "https")] {
            let environ = try self.environ("\(url)/", ["-H", "\(name): \(value)"])
            self.expectNothingThrough(environ, scheme: scheme, sent: "\(name): \(value)")
        }
    }

    @Test("all the forwarding headers at once, some twice, change nothing either")
    func spoofAllAtOnce() throws {
        let headers = (Self.spoofs + Self.spoofs).flatMap { ["-H", "\($0.0): \($0.1)"] }
        for (url, scheme) in [(self.http, "http"), (self.https, "https")] {
            self.expectNothingThrough(try self.environ("\(url)/", headers), scheme: scheme, sent: "all of them")
        }
    }

    @Test("a request whose target names the host while its Host header names another reaches the app with the target's")
    func absoluteFormHost() throws {
        let environ = try self.environ(
            "\(self.http)/", ["--request-target", "http://\(Self.host)/abs", "-H", "Host: evil.example"])
        #expect(environ["SERVER_NAME"] == Self.host)
        #expect(environ["HTTP_HOST"] == Self.host)
        #expect(environ["PATH_INFO"] == "/abs")
    }

    @Test("a request for another host name never reaches the application")
    func otherHost() throws {
        let plain = try self.curl("http://127.0.0.1:\(self.nginx.port)/", ["-H", "Host: evil.example"])
        #expect(plain.status == 52, "an empty reply: nginx closed the connection (444)\n\(plain.outputText)")
        let tls = try self.curl("https://127.0.0.1:\(self.nginx.tlsPort)/")
        #expect(tls.status != 0, "the TLS handshake is refused for a name the site does not serve")
        #expect(tls.standardOutput.isEmpty)
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
        let environ = try self.environ("\(self.http)/upload", ["--data-binary", "@\(file.path)"])
        #expect(environ["CONTENT_LENGTH"] == String(payload.utf8.count))
        #expect(environ["ssgi.input.bytes_read"] == String(payload.utf8.count))
    }
}

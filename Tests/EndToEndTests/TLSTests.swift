import Foundation
import SwiftServeTesting
import Testing

/// `--certfile`/`--keyfile` (docs/SPEC.md §6.2, `ssgi.url_scheme`): every TCP bind serves HTTPS,
/// TLS 1.2 and 1.3 only, with certificates `openssl` makes for the test and curl as the client.
@Suite("TLS")
struct TLSTests {
    static func curl(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.curl(["-sS", "-k", "--max-time", "30"] + arguments)
    }

    static func environ(_ result: CommandResult) throws -> [String: String] {
        guard let environ = try? JSONSerialization.jsonObject(with: result.standardOutput) as? [String: String] else {
            throw TestCertificates.Failure(description: "not an environ: \(result.outputText) \(result.standardError)")
        }
        return environ
    }

    @Test("HTTPS/1.1: the environ says https, and TLS 1.2 and 1.3 are served")
    func https() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: certificates.serverArguments)
        defer { server.stop() }
        #expect(server.log.contains("listening on https://127.0.0.1:"))
        let url = "https://127.0.0.1:\(server.port)/tls?x=1"
        let environ = try Self.environ(Self.curl(["--http1.1", url]))
        #expect(environ["ssgi.url_scheme"] == "https")
        #expect(environ["SERVER_PROTOCOL"] == "HTTP/1.1")
        #expect(environ["PATH_INFO"] == "/tls")
        #expect(environ["SERVER_PORT"] == String(server.port))
        for version in ["1.2", "1.3"] {
            let result = try Self.curl([
                "--http1.1", "--tlsv\(version)", "--tls-max", version, "-w", "%{http_code}", "-o", "/dev/null", url,
            ])
            #expect(result.outputText == "200", "TLS \(version): \(result.standardError)")
        }
        // TLS 1.1 is refused at the handshake.
        let old = try Self.curl(["--http1.1", "--tlsv1.1", "--tls-max", "1.1", "-o", "/dev/null", url])
        #expect(old.status != 0)
        // A plain-HTTP request on the TLS port gets no response.
        let plain = try CommandResult.curl(["-sS", "--max-time", "10", "http://127.0.0.1:\(server.port)/"])
        #expect(plain.status != 0)
        // The server still serves after both.
        #expect(try Self.curl(["--http1.1", "-o", "/dev/null", "-w", "%{http_code}", url]).outputText == "200")
    }

    @Test("the certificate is verified by a client that trusts it")
    func verified() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: certificates.serverArguments)
        defer { server.stop() }
        let result = try CommandResult.curl([
            "-sS", "--cacert", certificates.certificate, "-o", "/dev/null", "-w", "%{http_code}",
            "https://localhost:\(server.port)/",
        ])
        #expect(result.outputText == "200", "\(result.standardError)")
    }

    @Test(
        "a bad, unmatched or unreadable file is one line at start-up and exit 2",
        arguments: [
            ("missing-cert", "cannot read --certfile"),
            ("missing-key", "cannot read --keyfile"),
            ("garbage-cert", "holds no valid PEM certificate"),
            ("garbage-key", "holds no valid PEM private key"),
            ("key-for-cert", "holds no valid PEM private key"),
            ("mismatch", "does not match the certificate in --certfile"),
            ("cert-only", "--certfile needs --keyfile"),
            ("ca-without-reqs", "--ca-certs and --cert-reqs need --certfile and --keyfile"),
            ("reqs-without-ca", "--cert-reqs required needs --ca-certs"),
            ("bad-reqs", "--cert-reqs must be none, optional or required"),
            ("bad-http", "--http must be auto, 1 or 2"),
        ])
    func refused(case name: String, message: String) throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let cert = certificates.certificate
        let key = certificates.key
        let arguments: [String] =
            switch name {
            case "missing-cert": ["--certfile", certificates.path("none.crt"), "--keyfile", key]
            case "missing-key": ["--certfile", cert, "--keyfile", certificates.path("none.key")]
            case "garbage-cert": ["--certfile", certificates.garbage, "--keyfile", key]
            case "garbage-key": ["--certfile", cert, "--keyfile", certificates.garbage]
            case "key-for-cert": ["--certfile", cert, "--keyfile", cert]
            case "mismatch": ["--certfile", cert, "--keyfile", certificates.otherKey]
            case "cert-only": ["--certfile", cert]
            case "ca-without-reqs": ["--ca-certs", certificates.authority]
            case "reqs-without-ca": ["--certfile", cert, "--keyfile", key, "--cert-reqs", "required"]
            case "bad-reqs": ["--certfile", cert, "--keyfile", key, "--cert-reqs", "maybe"]
            default: ["--http", "3"]
            }
        let result = try CommandResult.swiftserve(
            arguments + ["--bind", "127.0.0.1:0", BuildProducts.plugin("barebones")])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("swiftserve: error: "), "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
    }

    @Test("an unreadable file names the reason")
    func unreadable() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        // A directory opens but cannot be read as a file, as root too.
        let result = try CommandResult.swiftserve([
            "--certfile", certificates.directory.path, "--keyfile", certificates.key, "--bind", "127.0.0.1:0",
            BuildProducts.plugin("barebones"),
        ])
        #expect(result.status == 2)
        #expect(result.standardError.contains("cannot read --certfile"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
    }

    @Test("the verified client certificate's subject is SSL_CLIENT_S_DN, over HTTP/1.1 and HTTP/2; absent without one")
    func clientSubject() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: certificates.serverArguments + ["--ca-certs", certificates.authority, "--cert-reqs", "optional"])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/"
        let client = ["--cert", certificates.clientCertificate, "--key", certificates.clientKey]
        for version in ["--http1.1", "--http2"] {
            let environ = try Self.environ(Self.curl(client + [version, url]))
            #expect(environ["SSL_CLIENT_S_DN"] == "O=Example Clients,CN=alice", "\(environ)")
            #expect(environ["SERVER_PROTOCOL"] == (version == "--http2" ? "HTTP/2" : "HTTP/1.1"))
            let anonymous = try Self.environ(Self.curl([version, url]))
            #expect(anonymous["SSL_CLIENT_S_DN"] == nil, "\(anonymous)")
        }
    }

    @Test("a unix socket stays plain HTTP next to an HTTPS TCP bind")
    func unixStaysPlain() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let socket = certificates.path("s.sock")
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: certificates.serverArguments + ["--bind", "127.0.0.1:0", "--bind", "unix:\(socket)"])
        defer { server.stop() }
        let environ = try Self.environ(CommandResult.curl(["-sS", "--unix-socket", socket, "http://localhost/"]))
        #expect(environ["ssgi.url_scheme"] == "http")
    }

    @Test("client certificates: --cert-reqs required refuses a client without one, optional accepts both")
    func clientCertificates() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let tls = certificates.serverArguments + ["--ca-certs", certificates.authority]
        let client = ["--cert", certificates.clientCertificate, "--key", certificates.clientKey]
        let required = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: tls + ["--cert-reqs", "required"])
        defer { required.stop() }
        let url = "https://127.0.0.1:\(required.port)/"
        #expect(try Self.curl(["-o", "/dev/null", url]).status != 0)
        #expect(try Self.curl(client + ["-o", "/dev/null", "-w", "%{http_code}", url]).outputText == "200")
        // A certificate no authority of --ca-certs signed is refused too.
        let stranger = ["--cert", certificates.certificate, "--key", certificates.key]
        #expect(try Self.curl(stranger + ["-o", "/dev/null", url]).status != 0)
        let optional = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: tls + ["--cert-reqs", "optional"])
        defer { optional.stop() }
        let optionalURL = "https://127.0.0.1:\(optional.port)/"
        #expect(try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", optionalURL]).outputText == "200")
        #expect(try Self.curl(client + ["-o", "/dev/null", "-w", "%{http_code}", optionalURL]).outputText == "200")
        #expect(try Self.curl(stranger + ["-o", "/dev/null", optionalURL]).status != 0)
    }

    @Test("SIGHUP under HTTP/2 load: no request fails, and the new workers serve the new certificate")
    func reloadUnderLoad() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("faults"),
            arguments: ["--workers", "2"] + certificates.serverArguments)
        defer { server.stop() }
        let old = try #require(server.waitForReadyWorkers(count: 2))
        let progress = certificates.path("progress")
        let stop = certificates.path("stop")
        let outcome = Locked<CommandResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        let port = server.port
        Thread.detachNewThread {
            let result = try? CommandResult.run(
                "/usr/bin/python3", [HTTP2Tests.script, String(port), "load", progress, stop, "--tls"], timeout: 120)
            outcome.withLock { $0 = result }
            done.signal()
        }
        /// The load's progress: answered, failed, retried, connections, and its last failure.
        func state() -> String { (try? String(contentsOfFile: progress, encoding: .utf8)) ?? "" }
        func answered() -> Int { Int(state().split(separator: " ").first ?? "") ?? 0 }
        func waitForAnswers(_ count: Int) -> Bool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if answered() >= count { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        #expect(waitForAnswers(100), "\(state())\n\(server.log)")
        try certificates.replaceServerCertificate(commonName: "reloaded")
        kill(server.pid, SIGHUP)
        #expect(server.waitForReadyWorkers(count: 2, excluding: old) != nil, "\(server.log)")
        let before = answered()
        #expect(waitForAnswers(before + 100), "\(state())\n\(server.log)")
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        done.wait()
        let result = try #require(outcome.value)
        let load = try #require(try? JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any])
        #expect(load["failed"] as? Int == 0, "\(load) \(result.standardError)")
        #expect((load["answered"] as? Int ?? 0) >= 200)
        #expect((load["connections"] as? Int ?? 0) >= 2)
        let verbose = try Self.curl(["-v", "-o", "/dev/null", "https://127.0.0.1:\(server.port)/"])
        #expect(verbose.standardError.contains("subject: CN=reloaded"), "\(verbose.standardError)")
    }
}

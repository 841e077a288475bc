import Foundation
import SwiftServeTesting
import Testing

/// HTTP/2 (docs/SPEC.md §6.2): by ALPN on TLS binds, by prior knowledge (h2c) on plain ones; each
/// stream one SSGI call. Clients: curl, and a scripted client on Debian's python3-h2
/// (`Fixtures/h2client.py`) for what curl cannot do.
@Suite("HTTP/2")
struct HTTP2Tests {
    static let script = CFixtures.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/h2client.py").path

    /// Runs a scenario of the scripted client against `port`.
    static func h2(
        _ port: Int, _ scenario: String, _ argument: Int = 0, tls: Bool = false, proxyHeader: Bool = false
    ) throws -> [String: Any] {
        let result = try CommandResult.run(
            "/usr/bin/python3",
            [script, String(port), scenario, String(argument)] + (tls ? ["--tls"] : [])
                + (proxyHeader ? ["--proxy-v1"] : []),
            timeout: 120)
        guard result.status == 0,
            let object = try? JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any]
        else {
            throw TestCertificates.Failure(
                description: "h2client \(scenario): \(result.outputText) \(result.standardError)")
        }
        return object
    }

    static func curl(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.curl(["-sS", "-k", "--max-time", "60"] + arguments)
    }

    /// The server is still there for another client.
    static func stillServes(_ port: Int, tls: Bool = false) throws -> Bool {
        let url = "\(tls ? "https" : "http")://127.0.0.1:\(port)/"
        return try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", url]).outputText == "200"
    }

    @Test("over TLS, ALPN chooses h2: SERVER_PROTOCOL is HTTP/2 and :authority is the Host")
    func alpn() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: certificates.serverArguments)
        defer { server.stop() }
        let result = try Self.curl([
            "--http2", "-w", "\n%{http_version}", "-H", "X-Test: one", "https://127.0.0.1:\(server.port)/h2/path?q=1",
        ])
        let lines = result.outputText.split(separator: "\n")
        #expect(lines.last == "2", "\(result.outputText) \(result.standardError)")
        let environ =
            try JSONSerialization.jsonObject(with: Data(lines.dropLast().joined(separator: "\n").utf8))
            as? [String: String]
        #expect(environ?["SERVER_PROTOCOL"] == "HTTP/2")
        #expect(environ?["ssgi.url_scheme"] == "https")
        #expect(environ?["HTTP_HOST"] == "127.0.0.1:\(server.port)")
        #expect(environ?["SERVER_NAME"] == "127.0.0.1")
        #expect(environ?["PATH_INFO"] == "/h2/path")
        #expect(environ?["QUERY_STRING"] == "q=1")
        #expect(environ?["HTTP_X_TEST"] == "one")
        #expect(environ?["REQUEST_METHOD"] == "GET")
        // HTTP/1.1 on the same port still works, by ALPN too.
        let http1 = try Self.curl([
            "--http1.1", "-o", "/dev/null", "-w", "%{http_version}", "https://127.0.0.1:\(server.port)/",
        ])
        #expect(http1.outputText == "1.1")
    }

    @Test("--http 1 offers only http/1.1 by ALPN; --http 2 serves h2 only")
    func versions() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let tls = certificates.serverArguments
        let one = try ServerProcess(application: BuildProducts.plugin("barebones"), arguments: tls + ["--http", "1"])
        defer { one.stop() }
        let version = try Self.curl([
            "--http2", "-o", "/dev/null", "-w", "%{http_version}", "https://127.0.0.1:\(one.port)/",
        ])
        #expect(version.outputText == "1.1")
        let plainOne = try ServerProcess(application: BuildProducts.plugin("barebones"), arguments: ["--http", "1"])
        defer { plainOne.stop() }
        let refused = try Self.curl([
            "--http2-prior-knowledge", "-o", "/dev/null", "http://127.0.0.1:\(plainOne.port)/",
        ])
        #expect(refused.status != 0)
        let two = try ServerProcess(application: BuildProducts.plugin("barebones"), arguments: ["--http", "2"])
        defer { two.stop() }
        let h2c = try Self.curl([
            "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version}", "http://127.0.0.1:\(two.port)/",
        ])
        #expect(h2c.outputText == "2")
        // The header timeout holds a connection only until its protocol is known: an h2
        // connection that waits past it (--http 2 chooses at once) is still served.
        let patient = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--http", "2", "--header-timeout", "1", "--keep-alive-timeout", "30"])
        defer { patient.stop() }
        let late = try Self.h2(patient.port, "late-request", 3)
        #expect(late["status"] as? String == "200", "\(late)")
    }

    @Test("an HTTP/2 connection with no stream open for --keep-alive-timeout gets a GOAWAY and is closed")
    func idleTimeout() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--keep-alive-timeout", "1"])
        defer { server.stop() }
        let idle = try Self.h2(server.port, "idle")
        #expect(idle["status"] as? String == "200", "\(idle)")
        #expect(idle["closed"] as? Bool == true, "\(idle)")
        // Closed by the timeout, well before the client's own 20 s wait would end it.
        #expect((idle["seconds"] as? Double ?? 20) < 15, "\(idle)")
        // One GOAWAY, NO_ERROR, naming the one stream the server took.
        let goaways = idle["goaway"] as? [[Int]]
        #expect(goaways == [[0, 1]], "\(idle)")
        // A longer timeout leaves the connection open past the shorter one's close.
        let patient = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--keep-alive-timeout", "30"])
        defer { patient.stop() }
        let late = try Self.h2(patient.port, "late-request", 3)
        #expect(late["status"] as? String == "200", "\(late)")
    }

    @Test("on a plain bind, the h2c preface is served as HTTP/2 next to HTTP/1.1")
    func priorKnowledge() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let result = try Self.curl(["--http2-prior-knowledge", "http://127.0.0.1:\(server.port)/prior"])
        let environ = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: String]
        #expect(environ?["SERVER_PROTOCOL"] == "HTTP/2", "\(result.outputText) \(result.standardError)")
        #expect(environ?["ssgi.url_scheme"] == "http")
        // An HTTP/1.1 request, and one whose method starts like the preface, still are HTTP/1.1.
        let http1 = try Self.curl([
            "-o", "/dev/null", "-w", "%{http_code} %{http_version}", "http://127.0.0.1:\(server.port)/",
        ])
        #expect(http1.outputText == "200 1.1")
        let pri = try Self.curl([
            "-X", "PRIX", "-o", "/dev/null", "-w", "%{http_version}", "http://127.0.0.1:\(server.port)/",
        ])
        #expect(pri.outputText == "1.1")
    }

    @Test("many streams at once on one connection, each its own call")
    func concurrentStreams() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let result = try Self.h2(server.port, "concurrent", 50)
        #expect(result["answered"] as? Int == 50)
        #expect((result["paths"] as? [String])?.count == 50)
        #expect(Set(result["paths"] as? [String] ?? []).count == 50)
    }

    @Test("bodies both ways: an 8 MiB upload echoed back under flow control, over TLS and h2c")
    func bodies() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("echo"),
            arguments: certificates.serverArguments)
        defer { server.stop() }
        let size = 8 << 20
        let result = try Self.h2(server.port, "upload", size, tls: true)
        #expect(result["sent"] as? Int == size)
        #expect(result["received"] as? Int == size)
        #expect(result["same"] as? Bool == true)
        let plain = try ServerProcess(application: BuildProducts.plugin("echo"))
        defer { plain.stop() }
        let h2c = try Self.h2(plain.port, "upload", size)
        #expect(h2c["same"] as? Bool == true)
        // curl's upload and download over h2.
        let file = try PatternedFile(count: 3 << 20)
        defer { file.remove() }
        let echoed = try Self.curl([
            "--http2", "--data-binary", "@\(file.path)", "-H", "Content-Type: application/octet-stream",
            "https://127.0.0.1:\(server.port)/echo",
        ])
        #expect(echoed.standardOutput.count == 3 << 20, "\(echoed.standardError)")
        // A client that waits for 100 Continue gets it on the stream once the application reads.
        let continued = try Self.curl([
            "--http2", "-v", "-H", "Expect: 100-continue", "--data-binary", "@\(file.path)",
            "-H", "Content-Type: application/octet-stream", "https://127.0.0.1:\(server.port)/echo",
        ])
        #expect(continued.standardError.contains("< HTTP/2 100"), "\(continued.standardError)")
        #expect([UInt8](continued.standardOutput) == file.bytes)
        #expect([UInt8](echoed.standardOutput) == file.bytes)
    }

    @Test("HEAD, status without body, large and streamed responses, and an application failure, over h2")
    func responses() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let head = try Self.curl(["--http2-prior-knowledge", "-I", "\(base)/bytes?n=1000"])
        #expect(head.outputText.hasPrefix("HTTP/2 200"), "\(head.outputText)")
        #expect(head.outputText.contains("content-length: 1000"))
        let bytes = try Self.curl(["--http2-prior-knowledge", "\(base)/bytes?n=5000000"])
        #expect(bytes.standardOutput.count == 5_000_000)
        let stream = try Self.curl(["--http2-prior-knowledge", "\(base)/stream?n=3"])
        #expect(stream.outputText == "chunk 0\nchunk 1\nchunk 2\n")
        let failed = try Self.curl([
            "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/throw",
        ])
        #expect(failed.outputText == "500")
        let cut = try Self.curl(["--http2-prior-knowledge", "\(base)/throw-after-start"])
        #expect(cut.status != 0)
        // A body shorter than its Content-Length is reset, never ended as if whole.
        let short = try Self.curl(["--http2-prior-knowledge", "\(base)/short"])
        #expect(short.status != 0)
        #expect(try Self.stillServes(server.port))
    }

    @Test("graceful stop: a stream in flight finishes, then the connection closes")
    func gracefulStop() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        let slow = Locked<CommandResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        let port = server.port
        Thread.detachNewThread {
            let result = try? Self.curl(["--http2-prior-knowledge", "http://127.0.0.1:\(port)/slow?ms=1500"])
            slow.withLock { $0 = result }
            done.signal()
        }
        #expect(server.waitForLog("sleeping 1500 ms"))
        let status = server.stop(signal: SIGTERM)
        done.wait()
        #expect(status == 0)
        #expect(slow.value?.outputText.hasPrefix("slept 1500 ms") == true, "\(slow.value?.standardError ?? "")")
    }

    @Test("a graceful stop that comes while a connection's TLS handshake is unfinished still reaches it as GOAWAY")
    func gracefulStopBeforeProtocol() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--graceful-timeout", "20", "--keep-alive-timeout", "30"] + certificates.serverArguments)
        defer { server.stop() }
        let go = certificates.path("go")
        let outcome = Locked<CommandResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        let port = server.port
        Thread.detachNewThread {
            let result = try? CommandResult.run(
                "/usr/bin/python3", [Self.script, String(port), "held-handshake", go], timeout: 60)
            outcome.withLock { $0 = result }
            done.signal()
        }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: go + ".held"), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(server.pid, SIGTERM)
        #expect(server.waitForLog("stopping: waiting for requests in flight"), "\(server.log)")
        _ = FileManager.default.createFile(atPath: go, contents: nil)
        done.wait()
        let result = try #require(outcome.value)
        let seen = try #require(
            try? JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any], "\(result.standardError)")
        // The request sent with the preface is served, under a GOAWAY, and then the server closes.
        #expect(seen["status"] as? String == "200", "\(seen)")
        #expect((seen["goaway"] as? [Any])?.isEmpty == false, "\(seen)")
        #expect(seen["closed"] as? Bool == true, "\(seen)")
        // The server's close sends TLS close_notify and waits up to 5 s (SwiftNIO SSL's shutdown
        // timeout) for the client's, which this client, closing its socket bare, never sends.
        #expect(server.waitForExit(timeout: 30) == 0, "\(server.log)")
        #expect(!server.log.contains("--graceful-timeout passed"), "\(server.log)")
    }
}

/// HTTP/2's limits and the known attacks on it, each with the scripted client while the server
/// keeps serving others.
@Suite("HTTP/2 limits")
struct HTTP2LimitTests {
    @Test("rapid reset (CVE-2023-44487) closes the offender")
    func rapidReset() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let result = try HTTP2Tests.h2(server.port, "rapid-reset", 2000)
        #expect(result["goaway"] as? Int == 11)  // ENHANCE_YOUR_CALM
        #expect(result["closed"] as? Bool == true)
        #expect(try HTTP2Tests.stillServes(server.port))
    }

    @Test("a CONTINUATION flood (CVE-2024-27316) closes the offender")
    func continuationFlood() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let result = try HTTP2Tests.h2(server.port, "continuation-flood", 10000)
        #expect(result["goaway"] as? Int == 11)  // ENHANCE_YOUR_CALM
        #expect(result["closed"] as? Bool == true)
        #expect(try HTTP2Tests.stillServes(server.port))
    }

    @Test("a header list over the limit is refused")
    func headerListSize() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        // More fields than the field limit: 431 on the stream.
        let fields = (0..<101).flatMap { ["-H", "X-Field-\($0): \($0)"] }
        let many = try HTTP2Tests.curl(
            ["--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code} %{http_version}"] + fields
                + ["http://127.0.0.1:\(server.port)/"])
        #expect(many.outputText == "431 2")
        let result = try HTTP2Tests.h2(server.port, "big-headers", 100_000)
        #expect(result["status"] is NSNull)
        #expect(result["goaway"] != nil)
        #expect(try HTTP2Tests.stillServes(server.port))
    }

    @Test("a client that opens more streams than --http2-max-streams is closed; others are served")
    func maxStreams() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("faults"), arguments: ["--http2-max-streams", "4"])
        defer { server.stop() }
        let result = try HTTP2Tests.h2(server.port, "too-many-streams", 10)
        #expect(result["advertised"] as? Int == 4)
        // RFC 9113 §5.1.2: a PROTOCOL_ERROR; SwiftNIO makes it the connection's.
        #expect(result["goaway"] as? Int == 1)
        #expect(try HTTP2Tests.stillServes(server.port))
    }

    @Test("a stream whose body never comes is answered 408 and reset under --min-body-rate")
    func stalledBody() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"), arguments: ["--log-level", "debug"])
        defer { server.stop() }
        let result = try HTTP2Tests.h2(server.port, "stalled-body")
        #expect(result["status"] as? String == "408")
        #expect(result["closed"] as? Bool == false)
        #expect(try HTTP2Tests.stillServes(server.port))
        #expect(server.log.contains("request body arrived slower than --min-body-rate"))
    }

    @Test("a response whose window the client never opens is reset after --send-timeout")
    func zeroWindow() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("faults"), arguments: ["--send-timeout", "2", "--log-level", "debug"])
        defer { server.stop() }
        let result = try HTTP2Tests.h2(server.port, "zero-window", 1_000_000)
        #expect(result["status"] as? String == "200")
        #expect(result["received"] as? Int == 0)
        #expect(result["reset"] as? Int == 8)  // CANCEL
        #expect(server.log.contains("the client opened no window for the response for --send-timeout 2 s"))
        #expect(try HTTP2Tests.stillServes(server.port))
    }

    @Test("a connection that never says which protocol it speaks is closed after --header-timeout")
    func silentConnection() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--header-timeout", "1"] + certificates.serverArguments)
        defer { server.stop() }
        // No TLS handshake at all: the server closes the connection (read returns 0, no timeout here).
        let result = try CommandResult.run(
            "/usr/bin/python3",
            [
                "-c",
                "import socket; s = socket.create_connection(('127.0.0.1', \(server.port))); s.settimeout(60); print(len(s.recv(100)))",
            ], timeout: 90)
        #expect(result.outputText == "0\n", "\(result.standardError)")
        #expect(try HTTP2Tests.stillServes(server.port, tls: true))
    }
}

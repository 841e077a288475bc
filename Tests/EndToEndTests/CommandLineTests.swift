import Foundation
import SwiftServeTesting
import Testing

/// The command line: version, help, logs and signals.
@Suite("Command line")
struct CommandLineTests {
    @Test("--version prints the version")
    func version() throws {
        let result = try CommandResult.swiftserve(["--version"])
        #expect(result.status == 0)
        #expect(result.outputText == "0.1.0\n")
    }

    @Test("--help shows the usage and examples")
    func help() throws {
        let result = try CommandResult.swiftserve(["--help"])
        #expect(result.status == 0)
        #expect(result.outputText.contains("USAGE: swiftserve"))
        #expect(result.outputText.contains("Examples:"))
        #expect(result.outputText.contains("--bind"))
        #expect(result.outputText.contains("--debug-http"))
    }

    @Test("--help describes the workers and the signals")
    func helpProcesses() throws {
        let text = try CommandResult.swiftserve(["--help"]).outputText
        for option in ["--workers", "--timeout", "--max-requests", "--max-requests-jitter", "--reload", "--pid"] {
            #expect(text.contains(option), "\(option)")
        }
        for signal in ["SIGHUP", "SIGTTIN", "SIGTTOU", "SIGUSR1", "SIGQUIT", "LISTEN_FDS"] {
            #expect(text.contains(signal), "\(signal)")
        }
        #expect(!text.contains("--worker-sockets"))
    }

    @Test(
        "a process option that cannot be used is refused in one line",
        arguments: [
            (["--workers", "-1"], "--workers must be 0 (one process, without a master) or more, not -1"),
            (["--timeout", "-5"], "--timeout must be 0 (never) or more, not -5"),
            (["--max-requests", "-1"], "--max-requests must be 0 (never) or more, not -1"),
            (
                ["--max-requests-jitter", "-2", "--max-requests", "5"],
                "--max-requests-jitter must be 0 (never) or more, not -2"
            ),
            (
                ["--max-requests-jitter", "10"],
                "--max-requests-jitter needs --max-requests: it adds to each worker's limit"
            ),
            (
                ["--workers", "0", "--reload"],
                "--reload needs workers, which --workers 0 does without: use --workers 1 or more"
            ),
            (
                ["--workers", "0", "--timeout", "10"],
                "--timeout needs workers, which --workers 0 does without: use --workers 1 or more"
            ),
            (
                ["--workers", "0", "--max-requests", "9"],
                "--max-requests needs workers, which --workers 0 does without: use --workers 1 or more"
            ),
        ])
    func badProcessOption(arguments: [String], message: String) throws {
        let result = try CommandResult.swiftserve(
            arguments + ["--bind", "127.0.0.1:0", BuildProducts.plugin("barebones")])
        #expect(result.status == 2)
        #expect(result.standardError == "swiftserve: error: \(message)\n")
    }

    @Test(
        "a command line the parser cannot read exits with 2 and says why in one line",
        arguments: [
            (["--no-such-option"], "unknown option '--no-such-option'"),
            (["--workers", "many"], "the value 'many' is invalid for '--workers"),
            (["--bind"], "missing value for '--bind"),
            (["--log-level", "loud"], "the value 'loud' is invalid for '--log-level"),
            (["./a.so", "./b.so"], "unexpected argument './b.so'"),
        ])
    func unreadableCommandLine(arguments: [String], message: String) throws {
        let result = try CommandResult.swiftserve(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("swiftserve: error: "), "\(result.standardError)")
        #expect(result.standardError.lowercased().contains(message), "\(result.standardError)")
        #expect(result.standardError.hasSuffix("(see swiftserve --help)\n"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
    }

    @Test("--help reads as written at any width", arguments: [80, 132])
    func helpReadsCleanly(columns: Int) throws {
        let result = try CommandResult.run(
            "/usr/bin/env", ["COLUMNS=\(columns)", BuildProducts.swiftserve, "--help"])
        #expect(result.status == 0)
        let lines = result.outputText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines {
            #expect(line.count <= columns, "over \(columns) columns: \(line)")
        }
        let usage = try #require(lines.firstIndex { $0.hasPrefix("USAGE:") })
        // The overview: paragraphs broken only where the next word would not fit, examples whole.
        let overview = lines[1..<usage]
        let examples = try #require(overview.firstIndex(of: "Examples:"))
        var index = examples + 1
        while !overview[index].isEmpty {
            #expect(overview[index].hasPrefix("  swiftserve "), "an example split over two lines: \(overview[index])")
            index += 1
        }
        for (line, next) in zip(overview, overview.dropFirst()) where !line.isEmpty && !next.isEmpty {
            guard !line.hasPrefix("  "), !next.hasPrefix("  "), line != "Examples:" else { continue }
            let word = next.prefix { $0 != " " }
            #expect(line.count + 1 + word.count >= columns, "wrapped before the width: \(line) / \(next)")
        }
        // Each option: one entry saying each default and each list of values once, and a value
        // name that says what to give rather than repeating the option's name.
        let options = try #require(lines.firstIndex(of: "OPTIONS:"))
        var entries: [String] = []
        for line in lines[(options + 1)...] where !line.isEmpty {
            if line.hasPrefix("  -") {
                entries.append(line)
            } else if !entries.isEmpty {
                entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(entries.count > 20)
        for entry in entries {
            #expect(entry.components(separatedBy: "(default:").count <= 2, "a default said twice: \(entry)")
            #expect(entry.components(separatedBy: "values:").count <= 2, "values listed twice: \(entry)")
            #expect(
                entry.range(of: #"--([a-z-]+) <\1>"#, options: .regularExpression) == nil,
                "a value name that repeats the option: \(entry)")
        }
        let logLevel = try #require(entries.first { $0.contains("--log-level") })
        for level in ["trace", "debug", "notice", "warning", "critical"] {
            #expect(logLevel.components(separatedBy: level).count == 2, "\(level) not listed once: \(logLevel)")
        }
    }

    @Test("--debug-http prints request lines with '>' and response lines with '<'")
    func debugHTTP() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"), arguments: ["--debug-http"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /traced HTTP/1.1\r\nHost: localhost\r\nX-Trace: yes\r\n\r\n")
        _ = try client.readResponse()
        #expect(server.waitForLog("< Content-Length: 44"))
        #expect(server.log.contains("> GET /traced HTTP/1.1"))
        #expect(server.log.contains("> X-Trace: yes"))
        #expect(server.log.contains("< HTTP/1.1 200 OK"))
        // Over HTTP/2, the fields of the HEADERS frames.
        let h2 = try CommandResult.curl([
            "-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-H", "X-Trace: h2",
            "http://127.0.0.1:\(server.port)/traced-h2",
        ])
        #expect(h2.status == 0, "\(h2.standardError)")
        #expect(server.waitForLog("> :path: /traced-h2"), "\(server.log)")
        #expect(server.log.contains("> x-trace: h2"))
        #expect(server.waitForLog("< :status: 200"), "\(server.log)")
    }

    @Test("--access-log writes one Common Log Format line per response")
    func accessLog() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-access-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--access-log", file.path])
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /logged?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        _ = try client.readResponse()
        #expect(server.stop() == 0)
        let log = try String(contentsOf: file, encoding: .utf8)
        let pattern =
            #"^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET /logged\?x=1 HTTP/1\.1" 200 44$"#
        #expect(
            log.split(separator: "\n").contains { $0.range(of: pattern, options: .regularExpression) != nil }, "\(log)")
    }

    @Test("the access log counts the body bytes of the server's own responses")
    func accessLogServerResponses() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-access-own-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try ServerProcess(
            application: BuildProducts.plugin("faults"), arguments: ["--access-log", file.path])
        #expect(try server.request("GET", "/throw").status == 500)
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a b\r\n\r\n")
        #expect(try client.readResponse().status == 400)
        #expect(server.stop() == 0)
        let log = try String(contentsOf: file, encoding: .utf8)
        #expect(log.contains("\"GET /throw HTTP/1.1\" 500 22\n"), "\(log)")
        #expect(log.contains("\" 400 12\n"), "\(log)")
    }

    @Test("SIGTERM lets a request in flight finish, then the server exits 0")
    func gracefulStop() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"))
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello")
        #expect(try client.readLine() == "HTTP/1.1 200 OK")
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitForLog("stopping"))
        try client.send("world")
        let rest = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(rest.hasSuffix("\r\n\r\nhelloworld"))
        #expect(server.stop() == 0)
    }

    @Test(
        "a SIGTERM sent as soon as the server says it listens stops it, with workers and without",
        arguments: ["0", "1"])
    func stopSignalRightAfterStart(workers: String) throws {
        // A signal observer that returned before the system delivered its signals to it would
        // let such a signal be ignored, now and then: a few starts in a row catch that.
        for _ in 0..<8 {
            let server = try ServerProcess(
                application: BuildProducts.plugin("barebones"), arguments: ["--workers", workers])
            #expect(server.stop(signal: SIGTERM, timeout: 10) == 0, "\(server.log)")
        }
    }
}

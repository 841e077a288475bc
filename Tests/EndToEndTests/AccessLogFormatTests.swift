import Foundation
import SwiftServeTesting
import Testing

/// `--access-log-format`, read from the log the real server writes to standard output.
@Suite("Access log formats")
struct AccessLogFormatTests {
    private let faults = BuildProducts.plugin("faults")
    private let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    /// The lines of the log that are JSON objects, parsed.
    private func jsonLines(_ log: String) -> [[String: Any]] {
        log.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("json: one object per response with the request's fields, its id and its trace context")
    func json() throws {
        let server = try ServerProcess(
            application: self.faults, arguments: ["--workers", "1", "--access-log", "-", "--access-log-format", "json"])
        defer { server.stop() }
        let answered = try server.request(
            "GET", "/slow?ms=1",
            headers: [
                ("User-Agent", "probe \"1\""), ("Referer", "http://example.com/"), ("X-Request-Id", "req-42.a:b/c+d="),
                ("traceparent", self.traceparent),
            ])
        #expect(answered.status == 200)
        _ = try server.request(
            "GET", "/pid?second", headers: [("X-Request-Id", "has space"), ("traceparent", "00-zz")])
        _ = try server.request("GET", "/pid", headers: [("X-Request-Id", String(repeating: "a", count: 129))])
        #expect(server.waitForLog(#""target":"/pid?second""#))
        // A line is written when the application finishes, which may come after its client has the whole response.
        #expect(server.waitForLog(#""target":"/slow?ms=1""#))
        let lines = self.jsonLines(server.log)
        try #require(lines.count >= 2, "\(server.log)")
        // The lines of the requests sent here, by their targets: with its port picked by the kernel,
        // the server may meet a stray client of another test.
        let line = { (target: String) in lines.first { $0["target"] as? String == target } }
        let first = try #require(line("/slow?ms=1"), "\(server.log)")
        #expect(first["method"] as? String == "GET")
        #expect(first["target"] as? String == "/slow?ms=1")
        #expect(first["protocol"] as? String == "HTTP/1.1")
        #expect(first["status"] as? Int == 200)
        #expect(first["bytes"] as? Int == answered.body.count)
        #expect((first["duration"] as? Double).map { $0 >= 0 } == true)
        #expect(first["peer"] as? String == "127.0.0.1")
        #expect(first["user_agent"] as? String == "probe \"1\"")
        #expect(first["referer"] as? String == "http://example.com/")
        #expect(first["request_id"] as? String == "req-42.a:b/c+d=")
        #expect(first["traceparent"] as? String == self.traceparent)
        #expect(first["worker_pid"] as? Int == server.workerPIDs.first.map(Int.init))
        #expect(first["time"] as? String != nil)
        // The line the application wrote to ssgi.errors carries the request's id.
        #expect(server.log.contains("request_id=req-42.a:b/c+d="))
        let second = try #require(line("/pid?second"), "\(server.log)")
        #expect(second["request_id"] is NSNull, "an id with a space is not repeated")
        #expect(second["traceparent"] is NSNull, "a malformed traceparent is not repeated")
    }

    @Test("combined: Common Log Format, then the quoted Referer and User-Agent")
    func combined() throws {
        let server = try ServerProcess(
            application: self.faults,
            arguments: ["--workers", "0", "--access-log", "-", "--access-log-format", "combined"])
        defer { server.stop() }
        _ = try server.request("GET", "/pid", headers: [("User-Agent", "probe \"2\""), ("Referer", "http://r/")])
        _ = try server.request("GET", "/pid")
        #expect(server.waitForLog(#""GET /pid HTTP/1.1" 200"#))
        #expect(server.waitForLog(#" "http://r/" "probe \"2\"""#))
        #expect(server.waitForLog(#" "-" "-""#))
    }

    @Test("combined and json over HTTP/2: the stream's Referer, User-Agent and X-Request-Id, and its bytes")
    func http2() throws {
        for format in ["combined", "json"] {
            let server = try ServerProcess(
                application: self.faults,
                arguments: ["--workers", "0", "--access-log", "-", "--access-log-format", format])
            defer { server.stop() }
            let result = try CommandResult.curl([
                "-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-A", "probe-h2", "-e", "http://h2/",
                "-H", "X-Request-Id: h2-id", "http://127.0.0.1:\(server.port)/pid",
            ])
            #expect(result.status == 0, "\(result.standardError)")
            if format == "combined" {
                #expect(server.waitForLog(#""GET /pid HTTP/2" 200 "#), "\(server.log)")
                #expect(server.waitForLog(#" "http://h2/" "probe-h2""#), "\(server.log)")
            } else {
                #expect(server.waitForLog(#""protocol":"HTTP/2","status":200"#), "\(server.log)")
                #expect(
                    server.waitForLog(#""user_agent":"probe-h2","referer":"http://h2/","request_id":"h2-id""#),
                    "\(server.log)")
            }
            #expect(!server.log.contains(#"HTTP/2" 200 - "#) && !server.log.contains(#""bytes":0"#), "\(server.log)")
        }
    }

    @Test("an unknown format is refused at the start")
    func unknownFormat() throws {
        let result = try CommandResult.swiftserve(["--access-log-format", "xml", "\(self.faults):app"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--access-log-format 'xml' is not one of common, combined, json"))
    }
}

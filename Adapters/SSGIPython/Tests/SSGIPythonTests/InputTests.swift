import Foundation
import SwiftServeTesting
import Testing

/// `wsgi.input` (PEP 3333): read(size), read(), read(-1), readline(size), readlines(hint) and
/// iteration; never more than asked, never past the body, the GIL released and the event loop
/// free while the body arrives; `wsgi.input_terminated` since the server ends every body.
@Suite("wsgi.input")
struct InputTests {
    /// Applies `operations` (see pep3333.read_view) to `body`, sent with Content-Length or, when
    /// `chunks` is given, chunked in those pieces; returns the JSON list of results.
    private func read(
        _ server: ServerProcess, _ operations: String, body: String, chunks: [Int]? = nil
    ) throws -> [Any] {
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        var head = "POST /read?ops=\(operations) HTTP/1.1\r\nHost: localhost\r\n"
        if let chunks {
            head += "Transfer-Encoding: chunked\r\n\r\n"
            var rest = Substring(body)
            for size in chunks {
                head += String(size, radix: 16) + "\r\n" + rest.prefix(size) + "\r\n"
                rest = rest.dropFirst(size)
            }
            head += "0\r\n\r\n"
        } else {
            head += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        }
        try client.send(head)
        let response = try client.readResponse()
        #expect(response.status == 200, "\(server.log)")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [Any])
    }

    private func strings(_ results: [Any]) -> [String] {
        results.map { ($0 as? String) ?? "\($0)" }
    }

    @Test(
        "read(size), readline(), readline(size), readlines() and read() split the body exactly",
        arguments: [nil, [2, 5, 1, 7]])
    func splits(chunks: [Int]?) throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let results = try self.read(
            server, "read:1,readline,readline:2,readline,readlines,read", body: "ab\ncdef\nghi\njkl", chunks: chunks)
        #expect(self.strings(Array(results.prefix(4))) == ["bytes:a", "bytes:b\n", "bytes:cd", "bytes:ef\n"])
        #expect(results[4] as? [String] == ["bytes:ghi\n", "bytes:jkl"])
        #expect(results[5] as? String == "bytes:")
    }

    @Test(
        "read(), read(-1) and read(None) read all; a read at the end gives b''",
        arguments: ["read", "read:-1", "read:none"])
    func readAll(operation: String) throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let body = String(repeating: "0123456789", count: 20_000)
        let results = try self.read(server, "\(operation),read:5,read", body: body, chunks: [70_000, 70_000, 60_000])
        #expect(self.strings(results) == ["bytes:" + body, "bytes:", "bytes:"])
    }

    @Test("read(size) returns exactly size bytes across chunks, and never more than the body holds")
    func exactSizes() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let results = try self.read(
            server, "read:3,read:3,read:3,read:3,read:0,read:100", body: "abcdef\nghi", chunks: [2, 6, 1, 1])
        #expect(self.strings(results) == ["bytes:abc", "bytes:def", "bytes:\ngh", "bytes:i", "bytes:", "bytes:"])
    }

    @Test("readlines(hint) stops once hint bytes were read; iteration gives the remaining lines")
    func hintAndIteration() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let results = try self.read(server, "readlines:5,iter", body: "ab\ncdef\nghi\njkl")
        #expect(results[0] as? [String] == ["bytes:ab\n", "bytes:cdef\n"])
        #expect(results[1] as? [String] == ["bytes:ghi\n", "bytes:jkl"])
    }

    @Test("nothing is read past the body: the request pipelined after it arrives intact")
    func notPastTheBody() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nworld!")
        #expect(try client.readResponse().bodyText == "hello")
        #expect(try client.readResponse().bodyText == "world!")
    }

    @Test("a chunked body is read to its end, and wsgi.input_terminated is true")
    func chunked() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send(
            "POST /environ HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n")
        let report = try #require(try client.readResponse().json)
        #expect(report["body_read"] as? Int == 7)
        #expect(report["wsgi.input_terminated"] as? Bool == true)
        #expect((report["cgi"] as? [String: String])?["CONTENT_LENGTH"] == nil)
    }

    @Test("Expect: 100-continue is answered when the application first reads")
    func expectContinue() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readLine() == "HTTP/1.1 100 Continue")
        #expect(try client.readLine() == "")
        try client.send("ping")
        #expect(try client.readResponse().bodyText == "ping")
    }

    @Test("while one request waits for a slow body, the GIL is free and another request is answered")
    func slowBodyBlocksNothing() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let uploader = try RawHTTPClient(port: server.port, timeout: 30)
        try uploader.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhalf-")
        Thread.sleep(forTimeInterval: 0.3)
        let started = Date()
        #expect(try server.request("GET", "/hello").bodyText == "hello\n")
        #expect(Date().timeIntervalSince(started) < 1.5)
        try uploader.send("done!")
        #expect(try uploader.readResponse().bodyText == "half-done!")
    }

    @Test(
        "a client that goes away mid-body raises ClientDisconnected: close() runs, one line and no traceback is logged")
    func clientGoneWhileReading() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        do {
            let client = try RawHTTPClient(port: server.port, timeout: 30)
            try client.send(
                "POST /read-then-close?marker=gone-reading HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc"
            )
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(PythonServer.waitForLog(server, "closed gone-reading"), "\(server.log)")
        #expect(PythonServer.waitForLog(server, "Client gone during POST /read-then-close?marker=gone-reading: "))
        #expect(try server.request("GET", "/hello").bodyText == "hello\n")
        #expect(!server.log.contains("Traceback"), "\(server.log)")
    }
}

import Foundation
import SwiftServeTesting
import Testing

/// What an application's reads are told when a request body goes wrong (docs/SPEC.md §10.1, §11,
/// §14.1, §14.2): one fault gives one code, whatever thread calls `read` and whenever it does.
///
/// The C probe reads each body to its end and logs the status that stopped it. Each case runs it
/// three ways: inline (its read waits inside the server's callbacks), on a thread of its own that
/// reads at once, and on a thread of its own that reads only after the fault has arrived.
@Suite("Body faults")
struct BodyFaultTests {
    /// An entry point of the probe, and the query that sets when its thread makes its first read.
    static let readers: [(entry: String, query: String)] = [
        ("inline_app", ""), ("thread_pool_app", ""), ("thread_pool_app", "&delay=300"),
    ]

    /// Chunked bodies that break a rule after 5 good bytes.
    static let malformedBodies: [(name: String, fault: String)] = [
        ("a chunk size that is not hex", "zz\r\n"),
        ("a trailer field that frames the request", "0\r\nContent-Length: 5\r\n\r\n"),
        ("a bare LF in the chunk framing", "3\nabc\r\n0\r\n\r\n"),
    ]

    private static func serve(_ entry: String, arguments: [String] = []) throws -> ServerProcess {
        try ServerProcess(application: "\(try CFixtures.probe.get()):\(entry)", arguments: arguments)
    }

    /// Waits for the probe's line about read `id` and returns it.
    private static func readFailure(_ id: Int, in server: ServerProcess) -> String? {
        guard server.waitForLog("probe: read \(id) failed") else { return nil }
        return server.log.split(separator: "\n").first { $0.contains("probe: read \(id) failed") }.map {
            String($0[$0.range(of: "probe: ")!.lowerBound...])
        }
    }

    @Test(
        "a malformed chunked body fails every read with SSGI_E_BAD_BODY, and the server answers 400",
        arguments: readers)
    func malformedChunkedBody(entry: String, query: String) throws {
        let server = try Self.serve(entry)
        defer { server.stop() }
        var id = 0
        for (name, fault) in Self.malformedBodies {
            for whileReading in [false, true] {
                id += 1
                let client = try RawHTTPClient(port: server.port)
                let head =
                    "POST /read?id=\(id)\(query) HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                if whileReading {
                    try client.send(head)
                    Thread.sleep(forTimeInterval: 0.15)
                    try client.send(fault)
                } else {
                    try client.send(head + fault)
                }
                let label = "\(name), sent \(whileReading ? "while a read waits" : "with the head")"
                #expect(try client.readResponse().status == 400, "\(label)")
                #expect(
                    Self.readFailure(id, in: server) == "probe: read \(id) failed with status -9 after 5 bytes",
                    "\(label)")
            }
        }
    }

    /// How a client ends its connection after 3 bytes of a 100-byte body.
    enum Ending: String, CaseIterable, Sendable {
        case halfClose = "a half-close"
        case close = "a close"
        case reset = "a reset"
    }

    @Test(
        "a body cut short by the client's close or half-close fails the reads with SSGI_E_BAD_BODY, a reset with SSGI_E_DISCONNECTED",
        arguments: Ending.allCases, readers)
    func cutShort(ending: Ending, reader: (entry: String, query: String)) throws {
        let server = try Self.serve(reader.entry)
        defer { server.stop() }
        var client: RawHTTPClient? = try RawHTTPClient(port: server.port)
        try client?.send("POST /read?id=1\(reader.query) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc")
        Thread.sleep(forTimeInterval: 0.1)
        switch ending {
        case .halfClose:
            // The client can still read: it gets the server's answer to its incomplete request.
            try client?.shutdownWrite()
            let response = try client?.readResponse()
            #expect(response?.status == 400)
            #expect(response?.header("Connection") == "close")
        case .close:
            client = nil
        case .reset:
            client?.reset()
        }
        let status = ending == .reset ? "-8" : "-9"
        #expect(
            Self.readFailure(1, in: server) == "probe: read 1 failed with status \(status) after 3 bytes",
            "\(ending.rawValue)")
    }

    @Test(
        "a client that half-closes after its whole request reads the whole body and gets the response",
        arguments: readers)
    func halfCloseAfterRequest(entry: String, query: String) throws {
        let server = try Self.serve(entry)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /read?id=1\(query) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc")
        try client.shutdownWrite()
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "read 3 bytes, largest piece 3\n")
        if !query.isEmpty {
            // The half-close came before the response started: the response says the connection ends.
            #expect(response.header("Connection") == "close")
        }
        #expect(client.serverCloses() || client.peerClosed)
        #expect(!server.log.contains("probe: read 1 failed"))
    }

    @Test(
        "pipelined requests followed by a half-close are all answered, then the connection closes", arguments: readers)
    func halfCloseAfterPipelinedRequests(entry: String, query: String) throws {
        let server = try Self.serve(entry)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let post = "POST /read?id=1\(query) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc"
        try client.send(post + post + "GET /last HTTP/1.1\r\nHost: localhost\r\n\r\n")
        try client.shutdownWrite()
        #expect(try client.readResponse().bodyText == "read 3 bytes, largest piece 3\n")
        #expect(try client.readResponse().bodyText == "read 3 bytes, largest piece 3\n")
        let last = try client.readResponse()
        #expect(last.bodyText == "probe\n")
        #expect(client.serverCloses() || client.peerClosed)
    }

    @Test(
        "a body slower than --min-body-rate fails the reads with SSGI_E_BAD_BODY, and the server answers 408",
        .timeLimit(.minutes(1)), arguments: readers)
    func tooSlowBody(entry: String, query: String) throws {
        let server = try Self.serve(entry, arguments: ["--min-body-rate", "1024"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 20)
        try client.send("POST /read?id=1\(query) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\nabc")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(Self.readFailure(1, in: server) == "probe: read 1 failed with status -9 after 3 bytes")
    }

    @Test(
        "a read with max_length 0 delivers at most 64 KiB, and one with a maximum no more than it", arguments: readers)
    func largestPiece(entry: String, query: String) throws {
        let server = try Self.serve(entry)
        defer { server.stop() }
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 1024 * 1024)
        for (maximum, limit) in [(0, 65536), (1000, 1000)] {
            let response = try server.request("POST", "/read?max=\(maximum)\(query)", body: body)
            let words = response.bodyText.split(separator: " ")
            #expect(words.count == 6, "\(response.bodyText)")
            #expect(words.dropFirst().first == "1048576")
            let largest = Int(words.last?.trimmingCharacters(in: .newlines) ?? "") ?? 0
            #expect(largest > 0 && largest <= limit, "read(\(maximum)) delivered \(largest) bytes at once")
        }
    }
}

import Foundation
import SwiftServeTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What an application is told when its client goes away in the middle of a request, or a stop
/// abandons the request: checked with a C application that logs every failed read, cleanup and
/// shutdown it gets (`Fixtures/recorder.c`), in both execution styles. One fault gives one code,
/// whatever thread called `read` (SPEC §4, §11).
@Suite("Abandoned requests")
struct AbandonedRequestTests {
    /// The recorder's INLINE and THREAD_POOL entry points.
    static let entryPoints = ["inline_app", "pool_app"]

    /// Serves the recorder's `entryPoint` and sends a request whose body (3 of 100 bytes) the
    /// application is left reading.
    private func requestAwaitingItsBody(_ entryPoint: String, arguments: [String]) throws -> (
        ServerProcess, RawHTTPClient
    ) {
        let library = try CFixtures.recorder.get()
        let server = try ServerProcess(application: "\(library):\(entryPoint)", arguments: arguments)
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc")
        return (server, client)
    }

    /// Checks that each of `texts` is in the log, each on a later line than the one before.
    private func expectInOrder(_ log: String, _ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = log.split(separator: "\n")
        var previous = -1
        for text in texts {
            let index = lines.firstIndex { $0.hasSuffix(text) } ?? -1
            #expect(
                index > previous, "'\(text)' is not logged after '\(texts)' before it:\n\(log)",
                sourceLocation: sourceLocation)
            previous = index
        }
    }

    @Test(
        "a client that half-closes in the middle of the body: the application's read gets SSGI_E_BAD_BODY (SPEC §10.1), in either execution style, whether or not a read waits",
        arguments: entryPoints, [false, true])
    func halfCloseMidBody(entryPoint: String, whileReadWaits: Bool) throws {
        let (server, client) = try self.requestAwaitingItsBody(entryPoint, arguments: ["--workers", "0"])
        defer { server.stop() }
        if whileReadWaits {
            #expect(server.waitForLog("recorder: reading the body"))
            Thread.sleep(forTimeInterval: 0.3)
        }
        try client.shutdownWrite()
        #expect(server.waitForLog("recorder: cleanup"))
        #expect(server.log.contains("recorder: read_done -9"), "\(server.log)")
        #expect(server.log.contains("recorder: cleanup -"), "\(server.log)")
        // The half-closed client can still read: it is told its request was cut short (§14.1), and
        // that the connection ends.
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.header("Connection") == "close")
        #expect(client.serverCloses())
    }

    @Test(
        "a request still running at the end of --graceful-timeout is abandoned: the application gets read_done -8, its cleanup, then its shutdown, and no worker is killed",
        arguments: ["1", "0"], entryPoints)
    func gracefulTimeoutAbandons(workers: String, entryPoint: String) throws {
        let (server, client) = try self.requestAwaitingItsBody(
            entryPoint, arguments: ["--workers", workers, "--graceful-timeout", "1"])
        defer { server.stop() }
        #expect(server.waitForLog("recorder: reading the body"))
        kill(server.pid, SIGTERM)
        // The client stays, silent, until the server closes its connection.
        #expect(client.serverCloses())
        #expect(server.waitForExit() == 0)
        #expect(!server.log.contains("killing worker"), "\(server.log)")
        self.expectInOrder(
            server.log,
            [
                "--graceful-timeout passed: abandoning the requests in flight", "recorder: read_done -8",
                "recorder: cleanup -8", "recorder: shutdown", "] stopped",
            ])
    }

    @Test(
        "SIGQUIT abandons the request in flight; the server logs 'stopped' after the request's lines and the application's shutdown",
        arguments: ["1", "0"], entryPoints)
    func quitLogsStoppedLast(workers: String, entryPoint: String) throws {
        let (server, client) = try self.requestAwaitingItsBody(entryPoint, arguments: ["--workers", workers])
        defer { server.stop() }
        #expect(server.waitForLog("recorder: reading the body"))
        kill(server.pid, SIGQUIT)
        #expect(client.serverCloses())
        #expect(server.waitForExit() == 0)
        self.expectInOrder(
            server.log, ["recorder: read_done -8", "recorder: cleanup -8", "recorder: shutdown", "] stopped"])
    }
}

import Foundation
import SwiftServeTesting
import Testing

/// The pool of Python threads: a request sleeping in Python delays no other request, and
/// `--threads N` is how many requests may wait at once.
@Suite("Python threads")
struct ThreadTests {
    /// Sends GET `path` on its own connection on a background thread; the answer's time comes back.
    private func timed(_ server: ServerProcess, _ path: String) -> () -> (Int, TimeInterval) {
        let result = Locked<(Int, TimeInterval)?>(nil)
        let started = Date()
        let thread = Thread {
            let status = (try? server.request("GET", path).status) ?? 0
            result.withLock { $0 = (status, Date().timeIntervalSince(started)) }
        }
        thread.start()
        return {
            while result.withLock({ $0 }) == nil { Thread.sleep(forTimeInterval: 0.01) }
            return result.withLock { $0! }
        }
    }

    @Test("a request sleeping in Python delays no other request")
    func sleepingRequest() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let sleeping = self.timed(server, "/sleep?s=3")
        Thread.sleep(forTimeInterval: 0.2)
        let started = Date()
        for _ in 0..<20 {
            #expect(try server.request("GET", "/hello").bodyText == "hello\n")
        }
        #expect(Date().timeIntervalSince(started) < 1.5)
        let (status, time) = sleeping()
        #expect(status == 200)
        #expect(time >= 3)
    }

    @Test("the default pool lets eight requests sleep at once")
    func defaultPool() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let sleepers = (0..<8).map { _ in self.timed(server, "/sleep?s=1.5") }
        let times = sleepers.map { $0().1 }
        #expect(times.allSatisfy { $0 < 2.8 }, "\(times)")
    }

    @Test("with --threads 2, a third sleeping request waits for a thread")
    func threadsOption() throws {
        let server = try PythonServer.start("pep3333:app", bridgeArguments: ["--threads", "2"])
        defer { server.stop() }
        let sleepers = (0..<3).map { _ in self.timed(server, "/sleep?s=1.5") }
        let times = sleepers.map { $0().1 }.sorted()
        #expect(times[1] < 2.8, "\(times)")
        #expect(times[2] >= 3, "\(times)")
    }
}

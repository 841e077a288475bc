import Foundation
import SwiftServeTesting
import Testing

/// The master and its workers, with real processes and real signals: a worker that dies is
/// replaced, and what happens to one worker does not reach the requests of the others.
@Suite("Workers")
struct WorkerTests {
    private let faults = BuildProducts.plugin("faults")

    /// Opens connections until it has one on each of `count` different workers (by `GET /pid`).
    private func connectionsOnDistinctWorkers(port: Int, count: Int) throws -> [(
        pid: String, client: RawHTTPClient
    )] {
        var found: [String: RawHTTPClient] = [:]
        for _ in 0..<200 where found.count < count {
            let client = try RawHTTPClient(port: port)
            try client.send("GET /pid HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let pid = try client.readResponse().bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
            if found[pid] == nil { found[pid] = client }
        }
        try #require(found.count == count, "connections reached only \(found.count) workers")
        return found.map { ($0.key, $0.value) }
    }

    /// Starts a load until its connections have reached every worker, starting it again when
    /// they all landed on fewer.
    private func warmUp(_ makeLoad: () -> LoadClient, workers: Set<pid_t>) throws -> LoadClient {
        let expected = Set(workers.map(String.init))
        var attempts = 0
        while true {
            attempts += 1
            let load = makeLoad()
            load.start()
            try #require(load.waitForAnswers(100))
            let answering = Set(load.results.filter(\.succeeded).map(Self.pid))
            if answering == expected { return load }
            load.stop()
            try #require(attempts < 5, "the load's connections reached only \(answering) of \(expected)")
        }
    }

    /// Checks that the only requests of `outcomes` that failed were on connections to `victim`
    /// (named by their previous `/pid` answer), and that they failed at the socket, not with a status.
    private func expectFailures(in outcomes: [LoadClient.Outcome], onlyOn victim: pid_t) {
        let failures = outcomes.filter { !$0.succeeded }
        #expect(failures.allSatisfy { $0.status == nil }, "\(failures.filter { $0.status != nil })")
        let stray = failures.filter { $0.previousBody != "\(victim)\n" }
        #expect(stray.isEmpty, "failures on connections to other workers: \(stray)")
    }

    /// Starts `echo` with two workers and a request whose body is half sent: its response has
    /// started, and the rest of the body (`world`) is awaited.
    private func echoWithRequestInFlight(_ arguments: [String] = []) throws -> (ServerProcess, RawHTTPClient) {
        let server = try ServerProcess(
            application: BuildProducts.plugin("echo"), arguments: ["--workers", "2"] + arguments)
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello")
        #expect(try client.readLine() == "HTTP/1.1 200 OK")
        return (server, client)
    }

    private static func pid(of outcome: LoadClient.Outcome) -> String {
        outcome.body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("--workers 2 starts two workers of the same executable, and they, not the master, answer")
    func workersAnswer() throws {
        let server = try ServerProcess(application: self.faults, arguments: ["--workers", "2"])
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        for worker in workers {
            let arguments = ProcessTable.arguments(of: worker)
            #expect(arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } == "swiftserve")
            #expect(arguments.contains("--worker-sockets"), "\(arguments)")
        }
        var answering: Set<String> = []
        for _ in 0..<20 {
            let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/pid"])
            answering.insert(result.outputText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(
            answering.isSubset(of: Set(workers.map(String.init))), "\(answering) not all in \(workers)")
        #expect(!answering.contains(String(server.pid)))
    }

    @Test("--workers 0 serves in one process, without workers")
    func singleProcess() throws {
        let server = try ServerProcess(application: self.faults, arguments: ["--workers", "0"])
        defer { server.stop() }
        let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/pid"])
        #expect(result.outputText == "\(server.pid)\n")
        #expect(server.workerPIDs.isEmpty)
    }

    @Test(
        "kill -9 of a worker under load: the server keeps answering, the worker is replaced, the other's requests do not fail"
    )
    func killedWorkerIsReplaced() throws {
        let server = try ServerProcess(application: self.faults, arguments: ["--workers", "2"])
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        let load = try self.warmUp(
            { LoadClient(port: server.port, path: "/pid", connections: 8, requestsPerConnection: .max) },
            workers: workers)
        let victim = try #require(workers.first)
        let survivor = try #require(workers.subtracting([victim]).first)
        kill(victim, SIGKILL)
        let replaced = server.waitForReadyWorkers(count: 2, excluding: [victim])
        let replacement = try #require(
            replaced?.subtracting([survivor]).first, "no replacement:\n\(server.log)")
        let answeredAfter = load.results.count
        #expect(load.waitForAnswers(answeredAfter + 200))
        let outcomes = load.stop()

        #expect(
            server.log.contains("worker \(victim) was killed by SIGKILL: starting another"),
            "\(server.log)")
        #expect(server.log.contains("worker \(replacement) ready, replacing worker \(victim)"))
        self.expectFailures(in: outcomes, onlyOn: victim)
        let survivorAnswers = outcomes[answeredAfter...].filter {
            $0.succeeded && Self.pid(of: $0) == String(survivor)
        }
        #expect(!survivorAnswers.isEmpty)
    }

    @Test(
        "a request that traps kills only its worker: it gets a 500 or a closed connection, a request in flight elsewhere completes, the worker is replaced"
    )
    func trapKillsOneWorker() throws {
        let server = try ServerProcess(application: self.faults, arguments: ["--workers", "2"])
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        let connections = try self.connectionsOnDistinctWorkers(port: server.port, count: 2)
        let (slow, trapping) = (connections[0], connections[1])
        let load = try self.warmUp(
            { LoadClient(port: server.port, path: "/pid", connections: 8, requestsPerConnection: .max) },
            workers: workers)
        try slow.client.send("GET /slow?ms=3000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        try trapping.client.send("GET /trap HTTP/1.1\r\nHost: localhost\r\n\r\n")
        do {
            let response = try trapping.client.readResponse()
            #expect((500..<600).contains(response.status))
        } catch RawHTTPClientError.closed {
            #expect(trapping.client.peerClosed)
        }
        let slowResponse = try slow.client.readResponse()
        #expect(slowResponse.status == 200)
        #expect(slowResponse.bodyText == "slept 3000 ms in \(slow.pid)\n")

        let victim = try #require(pid_t(trapping.pid))
        let replaced = server.waitForReadyWorkers(count: 2, excluding: [victim])
        #expect(replaced?.contains(try #require(pid_t(slow.pid))) == true, "\(server.log)")
        #expect(workers.contains(victim))
        #expect(
            server.log.contains("worker \(victim) was killed by SIGILL (a trap in the application")
                || server.log.contains("worker \(victim) was killed by SIGTRAP (a trap in the application"),
            "\(server.log)")
        let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/ok"])
        #expect(result.outputText == "ok\n")
        self.expectFailures(in: load.stop(), onlyOn: victim)
    }

    @Test("workers that keep dying young are restarted ever more slowly")
    func crashLoopBacksOff() throws {
        let server = try ServerProcess(
            application: self.faults, arguments: ["--workers", "1"],
            environment: ["SWIFT_BACKTRACE": "enable=no"])
        defer { server.stop() }
        var worker = try #require(server.waitForReadyWorkers(count: 1)?.first)
        for _ in 0..<3 {
            _ = try? CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/trap"])
            worker = try #require(
                server.waitForReadyWorkers(count: 1, excluding: [worker])?.first, "\(server.log)")
        }
        #expect(
            server.log.contains(
                "waiting 100 ms before starting another worker: 2 in a row died within 10 s"))
        #expect(
            server.log.contains(
                "waiting 200 ms before starting another worker: 3 in a row died within 10 s"))
    }

    @Test(
        "a worker that crashes while starting the application is replaced with back-off, and the server stays up"
    )
    func crashInStartup() throws {
        let trigger = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-trap-\(UUID())")
        defer { try? FileManager.default.removeItem(at: trigger) }
        let server = try ServerProcess(
            application: self.faults + ":fragile_startup", arguments: ["--workers", "1"],
            environment: ["FAULTS_TRAP_AT_STARTUP": trigger.path, "SWIFT_BACKTRACE": "enable=no"])
        defer { server.stop() }
        let first = try #require(server.waitForReadyWorkers(count: 1))
        try Data().write(to: trigger)
        kill(try #require(first.first), SIGKILL)
        #expect(server.waitForLog("3 in a row died within 10 s of starting"), "\(server.log)")
        #expect(server.logCount(of: "(a trap in the application") >= 2)
        #expect(server.process.isRunning)
        try FileManager.default.removeItem(at: trigger)
        let replaced = try #require(
            server.waitForReadyWorkers(count: 1, excluding: first), "\(server.log)")
        let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"])
        #expect(result.outputText == "\(try #require(replaced.first))\n")
    }

    @Test(
        "--timeout: a worker whose event loop a request blocks is killed and replaced, that connection closed, the other worker unaffected"
    )
    func blockedWorkerIsKilled() throws {
        let server = try ServerProcess(
            application: self.faults + ":blocking",
            arguments: ["--workers", "2", "--threads", "2", "--timeout", "3"])
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        let connections = try self.connectionsOnDistinctWorkers(port: server.port, count: 2)
        let (blocked, other) = (connections[0], connections[1])
        let load = try self.warmUp(
            { LoadClient(port: server.port, path: "/pid", connections: 8, requestsPerConnection: .max) },
            workers: workers)
        try blocked.client.send("GET /block?s=120 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let victim = try #require(pid_t(blocked.pid))
        var answered = 0
        while ProcessTable.isRunning(victim), answered < 2000 {
            try other.client.send("GET /pid HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try other.client.readResponse().bodyText == "\(other.pid)\n")
            answered += 1
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(!ProcessTable.isRunning(victim))
        #expect(throws: RawHTTPClientError.self) { try blocked.client.readResponse() }
        #expect(
            server.log.contains("killing worker \(victim): no heartbeat for --timeout (3 s)"),
            "\(server.log)")
        #expect(server.waitForReadyWorkers(count: 2, excluding: [victim]) != nil)
        self.expectFailures(in: load.stop(), onlyOn: victim)
    }

    @Test("--max-requests replaces workers as they reach it, and no request fails meanwhile")
    func maxRequests() throws {
        let server = try ServerProcess(
            application: self.faults,
            arguments: ["--workers", "1", "--max-requests", "20", "--max-requests-jitter", "5"])
        defer { server.stop() }
        let load = LoadClient(port: server.port, path: "/pid", connections: 2)
        load.start()
        let deadline = Date().addingTimeInterval(60)
        var workers: Set<String> = []
        while workers.count < 3, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            workers = Set(load.results.filter(\.succeeded).map(Self.pid))
        }
        let outcomes = load.stop()
        #expect(workers.count >= 3, "workers seen: \(workers)\n\(server.log)")
        #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.filter { !$0.succeeded })")
        #expect(server.log.contains("served its --max-requests: starting its replacement"))
    }

    @Test("SIGTTIN adds a worker and SIGTTOU removes one")
    func addAndRemoveWorkers() throws {
        let server = try ServerProcess(application: self.faults, arguments: ["--workers", "1"])
        defer { server.stop() }
        let first = try #require(server.waitForReadyWorkers(count: 1))
        kill(server.pid, SIGTTIN)
        let two = try #require(server.waitForReadyWorkers(count: 2), "\(server.log)")
        #expect(two.isSuperset(of: first))
        kill(server.pid, SIGTTOU)
        let one = try #require(server.waitForReadyWorkers(count: 1), "\(server.log)")
        #expect(one.isSubset(of: two))
        #expect(
            try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/ok"]).outputText == "ok\n")
    }

    @Test("SIGTERM lets a request in flight on a worker finish, then the server exits 0")
    func gracefulStop() throws {
        let (server, client) = try self.echoWithRequestInFlight()
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        kill(server.pid, SIGTERM)
        #expect(server.waitForLog("received SIGTERM: stopping gracefully"))
        try client.send("world")
        let rest = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(rest.hasSuffix("\r\n\r\nhelloworld"))
        #expect(server.waitForExit() == 0)
        #expect(workers.allSatisfy { !ProcessTable.isRunning($0) })
    }

    @Test("SIGTERM with a slow request in flight: the request completes, then the server exits 0")
    func gracefulStopWithSlowRequest() throws {
        let server = try ServerProcess(application: self.faults, arguments: ["--workers", "2"])
        _ = try #require(server.waitForReadyWorkers(count: 2))
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /slow?ms=2000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(server.waitForLog("sleeping 2000 ms"))
        kill(server.pid, SIGTERM)
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText.hasPrefix("slept 2000 ms"))
        #expect(response.header("Connection") == "close")
        #expect(server.waitForExit() == 0)
    }

    @Test(
        "a graceful stop closes a quiet kept-alive connection, even after a request with a body, without waiting out --graceful-timeout",
        arguments: [0, 2])
    func quietConnectionIsClosed(workers: Int) throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("echo"),
            arguments: ["--workers", "\(workers)", "--graceful-timeout", "120"])
        let client = try RawHTTPClient(port: server.port, timeout: 60)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello")
        // The rest of the body comes in a read of its own, after the head.
        let statusLine = try client.readLine()
        try client.send("world")
        #expect(try client.readResponse(statusLine: statusLine).bodyText == "helloworld")
        kill(server.pid, SIGTERM)
        #expect(client.serverCloses())
        #expect(server.waitForExit(timeout: 60) == 0)
    }

    @Test("a worker blocked past --graceful-timeout of SIGTERM, and 5 s more, is killed, and the server exits 0")
    func gracefulTimeoutKills() throws {
        let server = try ServerProcess(
            application: self.faults + ":blocking",
            arguments: ["--workers", "1", "--graceful-timeout", "2", "--timeout", "0"])
        let worker = try #require(server.waitForReadyWorkers(count: 1)?.first)
        let client = try RawHTTPClient(port: server.port, timeout: 60)
        try client.send("GET /block?s=120 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        try client.send("GET /pid HTTP/1.1\r\nHost: localhost\r\n\r\n")
        // The blocked event loop cannot finish its requests; the master kills the worker instead.
        #expect(server.waitForLog("blocking an event loop for 120 s"))
        kill(server.pid, SIGTERM)
        #expect(server.waitForExit(timeout: 60) == 0)
        #expect(
            server.log.contains("killing worker \(worker): it had not exited 5 s after its stop deadline"),
            "\(server.log)")
        #expect(throws: RawHTTPClientError.self) { try client.readResponse() }
    }

    @Test("SIGQUIT stops at once: a request in flight is cut, and the server exits 0")
    func immediateStop() throws {
        let (server, client) = try self.echoWithRequestInFlight(["--graceful-timeout", "120"])
        kill(server.pid, SIGQUIT)
        // A graceful stop would wait up to two minutes for the rest of the body.
        #expect(server.waitForExit(timeout: 60) == 0)
        _ = try client.readUntilClosed()
        #expect(client.peerClosed)
    }

    @Test("SIGQUIT after SIGTERM cuts the graceful stop short")
    func quitCutsGracefulStopShort() throws {
        let (server, client) = try self.echoWithRequestInFlight(["--graceful-timeout", "120"])
        kill(server.pid, SIGTERM)
        #expect(server.waitForLog("stopping: waiting for requests in flight"))
        kill(server.pid, SIGQUIT)
        #expect(server.waitForExit(timeout: 60) == 0)
        _ = try client.readUntilClosed()
        #expect(client.peerClosed)
    }

    @Test("workers serve a unix socket the master bound, and the socket file is removed at the stop")
    func unixSocket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-\(UUID()).sock"
        ).path
        let server = try ServerProcess(
            application: self.faults, arguments: ["--workers", "2", "--bind", "unix:\(path)"])
        let result = try CommandResult.curl(["-s", "--unix-socket", path, "http://localhost/ok"])
        #expect(result.outputText == "ok\n")
        #expect(server.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("the workers of a master that is killed stop by themselves")
    func orphanedWorkersStop() throws {
        let server = try ServerProcess(application: self.faults, arguments: ["--workers", "2"])
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        kill(server.pid, SIGKILL)
        let deadline = Date().addingTimeInterval(30)
        while workers.contains(where: ProcessTable.isRunning), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(!workers.contains(where: ProcessTable.isRunning))
        #expect(server.waitForLog("the master process is gone: stopping"))
    }

    @Test(
        "SIGUSR1 reopens the access log in every serving process, after a rotation moved it away",
        arguments: [0, 2])
    func reopenAccessLog(workers: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-usr1-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("access.log")
        let rotated = directory.appendingPathComponent("access.log.1")
        let server = try ServerProcess(
            application: self.faults, arguments: ["--workers", "\(workers)", "--access-log", log.path])
        defer { server.stop() }
        let serving = max(1, workers)
        if workers > 0 { _ = try #require(server.waitForReadyWorkers(count: workers)) }
        _ = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/before"])
        try FileManager.default.moveItem(at: log, to: rotated)
        kill(server.pid, SIGUSR1)
        let reopened = Date().addingTimeInterval(20)
        while server.logCount(of: "received SIGUSR1: reopened the access log") < serving,
            Date() < reopened
        {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(
            server.logCount(of: "received SIGUSR1: reopened the access log") == serving, "\(server.log)")
        _ = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/after"])
        #expect(server.stop() == 0)
        #expect(try String(contentsOf: rotated, encoding: .utf8).contains("GET /before HTTP/1.1"))
        let fresh = try String(contentsOf: log, encoding: .utf8)
        #expect(fresh.contains("GET /after HTTP/1.1"))
        #expect(!fresh.contains("/before"))
    }
}

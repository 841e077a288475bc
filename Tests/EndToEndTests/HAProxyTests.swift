import Foundation
import SwiftServeTesting
import Testing

/// Many hosts behind a real balancer (docs/DEPLOYMENT.md): three swiftserve instances on loopback
/// ports behind Debian's HAProxy, which checks each one's `/healthz`, under a steady bounded load
/// through HAProxy. A rolling reload of all three and a graceful restart of one fail no request; a
/// kill -9 of one fails at most the requests it had in flight.
@Suite(
    "Behind HAProxy",
    .enabled(
        if: TestEnvironment.runs(needing: TestEnvironment.executable("haproxy") != nil),
        "needs haproxy (apt-get install -y haproxy)"),
    .serialized)
final class HAProxyTests {
    private let faults = BuildProducts.plugin("faults")
    /// Ten ports of issue range 34300-34899: HAProxy's, then the instances', then their health ports.
    private var base = 0
    private var instances: [ServerProcess] = []
    private var haproxy: HAProxyProcess?

    private func backend(_ index: Int) -> HAProxyProcess.Backend {
        HAProxyProcess.Backend(port: self.base + 1 + index, healthPort: self.base + 4 + index)
    }

    private func startInstance(_ index: Int) throws -> ServerProcess {
        let backend = self.backend(index)
        return try ServerProcess(
            application: self.faults,
            arguments: [
                "--workers", "2", "--bind", "127.0.0.1:\(backend.port)", "--metrics-bind",
                "127.0.0.1:\(backend.healthPort)", "--graceful-timeout", "10",
            ])
    }

    /// Starts the three instances and HAProxy on ten ports of the range, trying other ten when
    /// one of them is taken (the range lies among the ports the kernel hands out to others).
    init() throws {
        for attempt in 1...5 {
            self.base = 34300 + Int.random(in: 0..<60) * 10
            do {
                self.instances = []
                for index in 0..<3 { self.instances.append(try self.startInstance(index)) }
                self.haproxy = try HAProxyProcess(port: self.base, backends: (0..<3).map(self.backend))
                return
            } catch {
                self.instances.forEach { $0.stop() }
                if attempt == 5 { throw error }
            }
        }
    }

    deinit {
        self.haproxy?.stop()
        self.instances.forEach { $0.stop() }
    }

    /// A load through HAProxy that has reached every instance.
    private func startLoad(connections: Int) throws -> LoadClient {
        let load = LoadClient(port: self.base, path: "/pid", connections: connections, duration: 180)
        load.start()
        for instance in self.instances {
            let bodies = Set(instance.workerPIDs.map { "\($0)\n" })
            #expect(load.waitForAnswers(1, timeout: 60) { bodies.contains($0.body) }, "the load reaches every instance")
        }
        return load
    }

    /// Waits until the load has `more` answers than now.
    private func waitForMore(_ load: LoadClient, _ more: Int) {
        let count = load.results.filter(\.succeeded).count
        #expect(load.waitForAnswers(count + more, timeout: 60))
    }

    @Test("a rolling reload of all three, then a graceful restart of one, fail no request")
    func rollingUpgrade() throws {
        let load = try self.startLoad(connections: 4)
        for instance in self.instances {
            let before = instance.workerPIDs
            kill(instance.pid, SIGHUP)
            #expect(instance.waitForReadyWorkers(count: 2, excluding: before, timeout: 60) != nil)
            self.waitForMore(load, 100)
        }

        let stopped = self.instances[1]
        kill(stopped.pid, SIGTERM)
        #expect(self.haproxy?.waitForLog("swiftserve/app2 is DOWN") == true, "\(self.haproxy?.log ?? "")")
        #expect(stopped.waitForExit(timeout: 60) == 0)
        self.waitForMore(load, 100)
        let restarted = try self.startInstance(1)
        self.instances[1] = restarted
        let workers = try #require(restarted.waitForReadyWorkers(count: 2))
        let bodies = Set(workers.map { "\($0)\n" })
        #expect(self.haproxy?.waitForLog("swiftserve/app2 is UP") == true, "\(self.haproxy?.log ?? "")")
        #expect(
            load.waitForAnswers(1, timeout: 60) { bodies.contains($0.body) }, "HAProxy sends to the restarted instance")
        self.waitForMore(load, 100)

        let outcomes = load.stop()
        let failures = outcomes.filter { !$0.succeeded }
        #expect(failures.isEmpty, "\(failures.count) of \(outcomes.count) failed: \(failures.prefix(5))")
        #expect(outcomes.count > 800)
    }

    @Test("a kill -9 of one instance fails at most the requests it had in flight, and HAProxy routes around it")
    func killedInstance() throws {
        let connections = 6
        let load = try self.startLoad(connections: connections)
        self.waitForMore(load, 100)
        let victim = self.instances[2]
        let victimWorkers = victim.workerPIDs
        for pid in [victim.pid] + Array(victimWorkers) { kill(pid, SIGKILL) }
        #expect(victim.waitForExit(timeout: 30) != nil)
        #expect(self.haproxy?.waitForLog("swiftserve/app3 is DOWN") == true, "\(self.haproxy?.log ?? "")")
        self.waitForMore(load, 300)
        let outcomes = load.stop()
        let failures = outcomes.filter { !$0.succeeded }
        #expect(failures.count <= connections, "\(failures.count) failed: \(failures.prefix(8))")
        let lastSucceeded = outcomes.suffix(200).allSatisfy(\.succeeded)
        #expect(lastSucceeded, "the last requests all succeed")
        let victimBodies = Set(victimWorkers.map { "\($0)\n" })
        #expect(outcomes.suffix(200).allSatisfy { !victimBodies.contains($0.body) })
    }
}

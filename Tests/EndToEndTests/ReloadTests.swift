import Foundation
import SwiftServeTesting
import Testing

/// Swapping the application's library under a running server: new workers load the new build,
/// the old ones finish their requests, and no request fails.
@Suite("Reload")
struct ReloadTests {
    /// A folder with `libapp.so`, a copy of the `version one` build, that a test may replace.
    private final class Deployment {
        let directory: URL
        var library: String { self.directory.appendingPathComponent("libapp.so").path }

        init() throws {
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "swiftserve-reload-\(UUID())")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: try CFixtures.versionOne.get(), toPath: self.library)
        }

        /// Replaces the library as deploys do: a copy next to it, renamed over it.
        func replace(with build: String) throws {
            let staged = self.directory.appendingPathComponent(".libapp.so.new").path
            try FileManager.default.copyItem(atPath: build, toPath: staged)
            #expect(rename(staged, self.library) == 0)
        }

        /// Replaces the library with a file that is not one.
        func replaceWithText() throws {
            let text = self.directory.appendingPathComponent("not-a-library.so")
            try Data("not a library\n".utf8).write(to: text)
            try self.replace(with: text.path)
        }

        deinit {
            try? FileManager.default.removeItem(at: self.directory)
        }
    }

    /// Swaps `version one` for `version two` under load, with `trigger` making the server notice,
    /// and checks that no request failed and that the new build answers after.
    private func swapUnderLoad(arguments: [String], trigger: (ServerProcess) -> Void) throws {
        let deployment = try Deployment()
        let server = try ServerProcess(application: deployment.library, arguments: ["--workers", "2"] + arguments)
        defer { server.stop() }
        let old = try #require(server.waitForReadyWorkers(count: 2))
        let load = LoadClient(port: server.port, path: "/", connections: 6)
        load.start()
        #expect(load.waitForAnswers(200) { $0.body == "version one\n" })
        try deployment.replace(with: try CFixtures.versionTwo.get())
        trigger(server)
        // Ready new workers, and the old ones gone.
        let new = server.waitForReadyWorkers(count: 2, excluding: old)
        let swapped = Date()
        #expect(new != nil, "\(server.log)")
        #expect(load.waitForAnswers(200) { $0.body == "version two\n" && $0.time > swapped })
        let outcomes = load.stop()

        let failures = outcomes.filter { !$0.succeeded }
        #expect(failures.isEmpty, "\(failures.count) of \(outcomes.count) requests failed: \(failures.prefix(5))")
        #expect(outcomes.allSatisfy { $0.body == "version one\n" || $0.body == "version two\n" || !$0.succeeded })
        // Each connection's last answers came after the old workers had gone.
        let last = Dictionary(grouping: outcomes, by: \.connection).values.compactMap(\.last)
        #expect(last.count == 6)
        #expect(last.allSatisfy { $0.body == "version two\n" }, "\(last)")
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"]).outputText == "version two\n")
        #expect(server.log.contains("reloaded: 2 new workers serving"))
    }

    @Test("SIGHUP under load after the library is renamed over: no request fails, then the new build answers")
    func reloadOnHangup() throws {
        try self.swapUnderLoad(arguments: []) { server in
            kill(server.pid, SIGHUP)
        }
    }

    @Test("--reload under load notices the library renamed over it: no request fails, then the new build answers")
    func reloadOnChange() throws {
        try self.swapUnderLoad(arguments: ["--reload"]) { server in
            #expect(server.waitForLog("changed (--reload): reloading"), "\(server.log)")
        }
    }

    @Test("a reload whose library cannot be loaded keeps the workers of the previous build serving")
    func failedReloadKeepsServing() throws {
        let deployment = try Deployment()
        let server = try ServerProcess(application: deployment.library, arguments: ["--workers", "2"])
        defer { server.stop() }
        let old = try #require(server.waitForReadyWorkers(count: 2))
        try deployment.replaceWithText()
        kill(server.pid, SIGHUP)
        #expect(
            server.waitForLog("reload failed: '\(deployment.library)' is not a loadable shared library ("),
            "\(server.log)")
        #expect(server.log.contains("the workers of the previous build keep serving"))
        #expect(server.waitForReadyWorkers(count: 2) == old)
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"]).outputText == "version one\n")

        try deployment.replace(with: try CFixtures.versionTwo.get())
        kill(server.pid, SIGHUP)
        #expect(server.waitForReadyWorkers(count: 2, excluding: old) != nil, "\(server.log)")
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"]).outputText == "version two\n")
    }

    /// The reasons logged for workers that could not start, and when each start is tried again.
    private static func startFailures(in log: String) -> (reasons: [String], retries: [String]) {
        let lines = log.split(separator: "\n").filter { $0.contains(" cannot start: ") }
        let reasons = lines.map { String($0[$0.range(of: " cannot start: ")!.upperBound...]) }
        let retries = lines.compactMap { line in
            line.range(of: "; trying again ").map { String(line[$0.upperBound...]) }
        }
        return (reasons, retries)
    }

    @Test(
        "a replaced worker that cannot load the library: the other worker keeps serving, the start is retried ever more slowly, and succeeds once the library is fixed",
        arguments: [false, true])
    func replacementCannotLoad(libraryRemoved: Bool) throws {
        let deployment = try Deployment()
        let server = try ServerProcess(application: deployment.library, arguments: ["--workers", "2"])
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        let cause: String
        if libraryRemoved {
            try FileManager.default.removeItem(atPath: deployment.library)
            cause = "no such file '\(deployment.library)'"
        } else {
            try deployment.replaceWithText()
            cause = "'\(deployment.library)' is not a loadable shared library ("
        }
        let victim = try #require(workers.first)
        kill(victim, SIGKILL)
        #expect(server.waitForLog("trying again in 800 ms", timeout: 30), "\(server.log)")
        #expect(server.log.contains("worker \(victim) was killed by SIGKILL: starting another"))
        let (reasons, retries) = Self.startFailures(in: server.log)
        #expect(reasons.count >= 4 && reasons.count <= 6, "\(reasons)")
        #expect(reasons.allSatisfy { $0.hasPrefix(cause) && $0.contains(": 1 worker keeps serving; trying again ") })
        #expect(retries.suffix(4) == ["in 100 ms", "in 200 ms", "in 400 ms", "in 800 ms"], "\(retries)")
        // The survivor serves meanwhile, and the master does not stop.
        for _ in 0..<5 {
            #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"]).outputText == "version one\n")
        }
        #expect(server.process.isRunning)

        try deployment.replace(with: try CFixtures.versionTwo.get())
        #expect(server.waitForReadyWorkers(count: 2, excluding: [victim]) != nil, "\(server.log)")
        #expect(server.waitForLog("ready, replacing worker \(victim) "))
    }

    @Test(
        "--max-requests while the library is broken: the worker past its limit serves on until its replacement starts")
    func maxRequestsWithBrokenLibrary() throws {
        let deployment = try Deployment()
        let server = try ServerProcess(
            application: deployment.library, arguments: ["--workers", "1", "--max-requests", "3"])
        defer { server.stop() }
        let old = try #require(server.waitForReadyWorkers(count: 1))
        try deployment.replaceWithText()
        for _ in 0..<3 {
            #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"]).outputText == "version one\n")
        }
        #expect(server.waitForLog("served its --max-requests: starting its replacement"), "\(server.log)")
        #expect(server.waitForLog("trying again in 200 ms", timeout: 30), "\(server.log)")
        let (reasons, _) = Self.startFailures(in: server.log)
        #expect(
            reasons.allSatisfy {
                $0.hasPrefix("'\(deployment.library)' is not a loadable shared library (")
                    && $0.contains(": 1 worker keeps serving; ")
            }, "\(reasons)")
        for _ in 0..<10 {
            #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"]).outputText == "version one\n")
        }
        #expect(server.workerPIDs.isSuperset(of: old))

        try deployment.replace(with: try CFixtures.versionTwo.get())
        #expect(server.waitForReadyWorkers(count: 1, excluding: old) != nil, "\(server.log)")
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"]).outputText == "version two\n")
    }

    @Test("without workers, SIGHUP is refused with a warning and the server keeps serving")
    func hangupWithoutWorkers() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"), arguments: ["--workers", "0"])
        defer { server.stop() }
        kill(server.pid, SIGHUP)
        #expect(server.waitForLog("SIGHUP ignored: it needs workers (run with --workers 1 or more)"))
        let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"])
        #expect(result.outputText == "Hello world from a simple SSGI application!\n")
    }
}

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

    @Test("a worker that cannot load a replaced library stops the server with the loader's message")
    func replacementCannotLoad() throws {
        let deployment = try Deployment()
        let server = try ServerProcess(application: deployment.library, arguments: ["--workers", "2"])
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        try deployment.replaceWithText()
        kill(try #require(workers.first), SIGKILL)
        #expect(server.waitForExit() == 4)
        #expect(
            server.log.contains("swiftserve: error: '\(deployment.library)' is not a loadable shared library ("),
            "\(server.log)")
        #expect(!workers.contains(where: ProcessTable.isRunning))
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

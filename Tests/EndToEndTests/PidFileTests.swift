import Foundation
import SwiftServeTesting
import Testing

/// `--pid FILE`: the server's process id, written at start and removed at exit.
@Suite("Pid file")
struct PidFileTests {
    private let hello = BuildProducts.plugin("barebones")

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-\(name)-\(UUID()).pid").path
    }

    @Test("the file holds the master's process id while it runs, and is removed when it stops", arguments: ["1", "0"])
    func writtenAndRemoved(workers: String) throws {
        let path = self.temporaryPath("pid")
        let server = try ServerProcess(application: self.hello, arguments: ["--workers", workers, "--pid", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(server.pid)\n")
        #expect(server.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a pid file in a folder that does not exist")
    func unwritable() throws {
        let result = try CommandResult.swiftserve(["--pid", "/nonexistent/swiftserve.pid", self.hello])
        #expect(result.status == 1)
        #expect(
            result.standardError
                == "swiftserve: error: cannot write the pid file '/nonexistent/swiftserve.pid': No such file or directory\n"
        )
    }

    @Test("a pid file that names a running server is refused and left alone")
    func alreadyRunning() throws {
        let path = self.temporaryPath("running")
        let server = try ServerProcess(application: self.hello, arguments: ["--pid", path])
        defer { server.stop() }
        let result = try CommandResult.swiftserve(["--pid", path, "--bind", "127.0.0.1:0", self.hello])
        #expect(result.status == 1)
        #expect(
            result.standardError
                == "swiftserve: error: the pid file '\(path)' names process \(server.pid), which is running: is swiftserve already serving? (remove the file if not)\n"
        )
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(server.pid)\n")
    }

    @Test("the pid file is removed when the application cannot be loaded")
    func removedOnFailure() throws {
        let path = self.temporaryPath("failure")
        let result = try CommandResult.swiftserve([
            "--pid", path, "--bind", "127.0.0.1:0", "/nonexistent/libnothing.so",
        ])
        #expect(result.status == 4)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

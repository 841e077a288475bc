import Foundation
import SwiftServeTesting
import Testing

/// `--bind unix:PATH`: one server per path. A second server is refused while the first answers
/// (taking the path over would cut the first off, and remove its file when it stops); a file left
/// by a server that is gone is replaced.
@Suite("Unix sockets")
struct UnixSocketTests {
    private let hello = BuildProducts.plugin("barebones")

    @Test("a second server on the path of one that answers is refused in one line, and the first keeps serving")
    func liveServerKept() throws {
        let directory = try TemporaryDirectory.make("unix")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("app.sock").path
        let first = try ServerProcess(application: self.hello, arguments: ["--workers", "2", "--bind", "unix:\(path)"])
        defer { first.stop() }
        for workers in ["0", "1"] {
            let second = try CommandResult.swiftserve(["--workers", workers, "--bind", "unix:\(path)", self.hello])
            #expect(second.status == 1)
            #expect(
                second.standardError
                    == "swiftserve: error: cannot listen on unix:\(path): a server is answering on it: stop that server first, or choose another --bind\n"
            )
        }
        let answer = try CommandResult.curl(["-s", "--unix-socket", path, "http://localhost/hello"])
        #expect(answer.outputText == "Hello world from a simple SSGI application!\n")
        #expect(first.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("the socket file of a server that was killed is replaced by the next server")
    func staleFileReplaced() throws {
        let directory = try TemporaryDirectory.make("unix")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("app.sock").path
        let killed = try ServerProcess(
            application: self.hello, arguments: ["--workers", "0", "--bind", "unix:\(path)"])
        killed.stop(signal: SIGKILL)
        #expect(FileManager.default.fileExists(atPath: path), "SIGKILL leaves the file behind")
        let next = try ServerProcess(application: self.hello, arguments: ["--bind", "unix:\(path)"])
        defer { next.stop() }
        let answer = try CommandResult.curl(["-s", "--unix-socket", path, "http://localhost/hello"])
        #expect(answer.outputText == "Hello world from a simple SSGI application!\n")
    }

    @Test("a socket in a folder that does not exist says so, and how to create it")
    func missingFolder() throws {
        let directory = try TemporaryDirectory.make("unix")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("myapp").path
        let result = try CommandResult.swiftserve(["--bind", "unix:\(folder)/app.sock", self.hello])
        #expect(result.status == 1)
        #expect(
            result.standardError
                == "swiftserve: error: cannot listen on unix:\(folder)/app.sock: bind failed: No such file or directory: the folder '\(folder)' does not exist: create it first (install -d, or RuntimeDirectory= under systemd)\n"
        )
    }
}

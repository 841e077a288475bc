import Foundation
import Testing

@testable import SwiftServe

/// The `--pid` file.
@Suite("PidFile")
struct PidFileTests {
    private func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-pidfile-\(UUID()).pid").path
    }

    @Test("create writes this process's id; remove removes the file")
    func createAndRemove() throws {
        let file = PidFile(path: self.path())
        try file.create()
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "\(getpid())\n")
        file.remove()
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test("a stale file, naming a process that is gone, is replaced")
    func stale() throws {
        let file = PidFile(path: self.path())
        try Data("999999999\n".utf8).write(to: URL(fileURLWithPath: file.path))
        try file.create()
        #expect(file.recordedProcessID() == getpid())
        file.remove()
    }

    @Test("remove leaves a file that names another process")
    func removeLeavesOthers() throws {
        let file = PidFile(path: self.path())
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: file.path))
        file.remove()
        #expect(FileManager.default.fileExists(atPath: file.path))
        try FileManager.default.removeItem(atPath: file.path)
    }

    @Test("a file that names a running process is refused")
    func running() throws {
        let file = PidFile(path: self.path())
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: file.path))
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        #expect(throws: PidFileError.alreadyRunning(path: file.path, processID: 1)) { try file.create() }
    }
}

import Foundation
import NIOCore
import Testing

@testable import SwiftServe

/// `--reload` notices a library that changed, once it has settled.
@Suite("LibraryWatcher")
struct LibraryWatcherTests {
    private let directory: URL

    init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-watcher-\(UUID())")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    private func write(_ text: String, to name: String) throws -> String {
        let path = self.directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("an unchanged file is no change")
    func unchanged() throws {
        let path = try self.write("one", to: "lib.so")
        var watcher = LibraryWatcher(path: path)
        let changes = [watcher.check(now: .now()), watcher.check(now: .now() + .seconds(5))]
        #expect(changes == [false, false])
    }

    @Test("a file renamed over the library is a change once it has stayed the same for the settle time")
    func renamed() throws {
        let path = try self.write("one", to: "lib.so")
        var watcher = LibraryWatcher(path: path)
        let staged = try self.write("two, longer", to: "lib.so.new")
        #expect(rename(staged, path) == 0)
        let seen = NIODeadline.now()
        let changes = [
            watcher.check(now: seen), watcher.check(now: seen + LibraryWatcher.settleTime - .milliseconds(1)),
            watcher.check(now: seen + LibraryWatcher.settleTime), watcher.check(now: seen + .seconds(10)),
        ]
        #expect(changes == [false, false, true, false])
    }

    @Test("a file rewritten in place is a change, and a file that keeps changing waits")
    func rewritten() throws {
        let path = try self.write("one", to: "lib.so")
        var watcher = LibraryWatcher(path: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data("half".utf8))
        let first = NIODeadline.now()
        var changes = [watcher.check(now: first)]
        try handle.write(contentsOf: Data(" and the rest".utf8))
        try handle.close()
        changes += [
            watcher.check(now: first + .seconds(1)),
            watcher.check(now: first + .seconds(1) + LibraryWatcher.settleTime),
        ]
        #expect(changes == [false, false, true])
    }

    @Test("a missing file is no change until it comes back")
    func missing() throws {
        let path = try self.write("one", to: "lib.so")
        var watcher = LibraryWatcher(path: path)
        try FileManager.default.removeItem(atPath: path)
        let changed = watcher.check(now: .now() + .seconds(5))
        #expect(!changed)
    }
}

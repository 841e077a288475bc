import Foundation
import Testing

@testable import SwiftServe

/// Listening sockets bound here or handed in.
@Suite("ListenSocket")
struct ListenSocketTests {
    @Test("a TCP bind listens, close-on-exec, and names its port")
    func tcp() throws {
        let socket = try ListenSocket.bind(.tcp(host: "127.0.0.1", port: 0))
        defer { socket.close() }
        #expect(socket.address.range(of: #"^http://127\.0\.0\.1:\d+$"#, options: .regularExpression) != nil)
        #expect(socket.address != "http://127.0.0.1:0")
        #expect(fcntl(socket.descriptor, F_GETFD) & FD_CLOEXEC != 0)
        #expect(socket.createdPath == nil)
        let inherited = try ListenSocket.inherited(descriptor: socket.descriptor, origin: "a test")
        #expect(inherited.address == socket.address)
    }

    @Test("a unix bind replaces a stale socket file but never another file")
    func unix() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-ls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("app.sock").path
        let first = try ListenSocket.bind(.unix(path: path))
        first.close()
        let second = try ListenSocket.bind(.unix(path: path))
        #expect(second.address == "unix:\(path)")
        #expect(second.createdPath == path)
        second.close()
        second.removeCreatedFile()
        #expect(!FileManager.default.fileExists(atPath: path))

        let file = directory.appendingPathComponent("not-a-socket").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: ServerError.self) { try ListenSocket.bind(.unix(path: file)) }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
    }

    @Test("a unix bind is refused while a socket listens on the path, and removes only the file it created")
    func unixInUse() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-ls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("app.sock").path
        let first = try ListenSocket.bind(.unix(path: path))
        #expect {
            try ListenSocket.bind(.unix(path: path))
        } throws: { error in
            "\(error)"
                == "cannot listen on unix:\(path): a server is answering on it: stop that server first, or choose another --bind"
        }
        #expect(FileManager.default.fileExists(atPath: path))
        first.close()
        // Nothing listens now: the next bind replaces the file, and the first one's removal spares it.
        let second = try ListenSocket.bind(.unix(path: path))
        first.removeCreatedFile()
        #expect(FileManager.default.fileExists(atPath: path))
        second.close()
        second.removeCreatedFile()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("an inherited descriptor must be an open, listening stream socket")
    func inheritedChecks() throws {
        #expect(throws: ListenSocketError.notOpen(descriptor: 987, origin: "a test")) {
            try ListenSocket.inherited(descriptor: 987, origin: "a test")
        }
        let file = open("/dev/null", O_RDONLY)
        defer { close(file) }
        #expect(throws: ListenSocketError.notASocket(descriptor: file, origin: "a test")) {
            try ListenSocket.inherited(descriptor: file, origin: "a test")
        }
        let unbound = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(unbound) }
        #expect(throws: ListenSocketError.notListening(descriptor: unbound, origin: "a test")) {
            try ListenSocket.inherited(descriptor: unbound, origin: "a test")
        }
    }
}

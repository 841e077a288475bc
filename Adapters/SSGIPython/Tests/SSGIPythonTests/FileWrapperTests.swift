import Foundation
import SwiftServeTesting
import Testing

/// `wsgi.file_wrapper` (PEP 3333): a regular file is sent from its descriptor, from its current
/// position; any other file-like object is iterated.
@Suite("wsgi.file_wrapper")
struct FileWrapperTests {
    /// A file of `size` bytes with a pattern that shows any byte out of place.
    private static func file(size: Int) throws -> (String, [UInt8]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ssgipython-file-\(UUID())").path
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    @Test(
        "a regular file, from its descriptor, and an io.BytesIO, by iteration, give the same bytes",
        arguments: ["file", "bytesio"])
    func wholeFile(kind: String) throws {
        let (path, bytes) = try Self.file(size: 3 * 1024 * 1024 + 17)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", "/file?kind=\(kind)&path=\(path)")
        #expect(response.status == 200)
        #expect(response.body.count == bytes.count)
        #expect(response.body == bytes)
    }

    @Test("a file read into before it is wrapped is sent from its current position, from its descriptor")
    func fromPosition() throws {
        let (path, bytes) = try Self.file(size: 100_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        let response = try server.request("GET", "/file?kind=descriptor&skip=1000&path=\(path)")
        #expect(response.status == 200)
        #expect(response.body == Array(bytes[1000...]))
        // Its read() raises: had the file been iterated, the log would say so.
        #expect(!server.log.contains("read() called"), "\(server.log)")
    }
}

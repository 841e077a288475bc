import Foundation
import SwiftServeTesting
import Testing

/// Every way loading an application can fail: one clear line on stderr, a non-zero exit, no crash.
@Suite("Loader errors")
struct LoaderErrorTests {
    /// Runs swiftserve with `arguments` and checks it exits with `status` and one line containing `message`.
    private func expectFailure(_ arguments: [String], status: Int32, message: String) throws {
        let result = try CommandResult.swiftserve(arguments + ["--bind", "127.0.0.1:0"])
        #expect(result.status == status)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got:\n\(result.standardError)")
        #expect(lines.first?.hasPrefix("swiftserve: error: ") == true)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        for crash in ["Fatal error", "Stack dump", "Segmentation", "Backtrace"] {
            #expect(!result.standardError.contains(crash))
        }
    }

    /// A new file that is text, not a shared library.
    private static func textFile() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-not-a-library-\(UUID()).so")
        try Data("this is text, not ELF\n".utf8).write(to: file)
        return file
    }

    @Test("no argument")
    func noArgument() throws {
        try self.expectFailure([], status: 2, message: "provide an application as PATH.so:CALLABLE")
    }

    @Test("a malformed argument", arguments: ["lib.so:", ":app", "lib.so:1app", "lib.so:my-app"])
    func malformed(argument: String) throws {
        try self.expectFailure([argument], status: 2, message: "malformed application '\(argument)'")
    }

    @Test("a missing file")
    func missingFile() throws {
        try self.expectFailure(
            ["/nonexistent/libnothing.so:app"], status: 4, message: "no such file '/nonexistent/libnothing.so'")
    }

    @Test("a file that is not a shared library, with the loader's reason")
    func notASharedLibrary() throws {
        let file = try Self.textFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try self.expectFailure(["\(file.path):app"], status: 4, message: "is not a loadable shared library (")
        let result = try CommandResult.swiftserve(["\(file.path):app"])
        #expect(result.standardError.contains("invalid ELF header") || result.standardError.contains("file too short"))
    }

    @Test("with several workers, the first loader message stops the server and no worker is started again")
    func failsOnceWithWorkers() throws {
        let file = try Self.textFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try self.expectFailure(
            ["--workers", "3", "\(file.path):app"], status: 4, message: "is not a loadable shared library (")
        let result = try CommandResult.swiftserve([
            "--workers", "3", "--log-level", "debug", "--bind", "127.0.0.1:0", "\(file.path):app",
        ])
        #expect(result.status == 4)
        let started = result.standardError.split(separator: "\n").filter { $0.contains("started worker") }
        #expect(started.count == 3, "\(result.standardError)")
    }

    @Test("a missing symbol is named")
    func missingSymbol() throws {
        try self.expectFailure(
            [BuildProducts.plugin("barebones") + ":no_such_entry"], status: 4,
            message: "exports no symbol 'no_such_entry'")
    }

    @Test("an entry point that returns NULL")
    func entryPointReturnsNull() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(["\(library):returns_null"], status: 4, message: "entry point 'returns_null' in")
        try self.expectFailure(["\(library):returns_null"], status: 4, message: "returned NULL")
    }

    @Test("a wrong magic number, found and expected")
    func wrongMagic() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(
            ["\(library):wrong_magic"], status: 4, message: "magic is 0x57534749, expected 0x53534749")
    }

    @Test("a different ABI major version, found and expected")
    func wrongMajor() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(
            ["\(library):wrong_major"], status: 4,
            message: "is built for SSGI ABI 2.0, but this server speaks SSGI ABI 1.1")
    }

    @Test("a newer ABI minor version than the server's")
    func newerMinor() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(
            ["\(library):newer_minor"], status: 4,
            message: "is built for SSGI ABI 1.8, but this server speaks SSGI ABI 1.1")
    }

    @Test("a descriptor without a handle function")
    func noHandle() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(["\(library):no_handle"], status: 4, message: "handle is NULL")
    }

    @Test("a descriptor with an unknown execution mode")
    func unknownExecution() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(
            ["\(library):unknown_execution"], status: 4,
            message: "execution is 7, not one of the SSGI_EXECUTION_* values")
    }

    @Test("an application whose startup fails")
    func startupFails() throws {
        try self.expectFailure(
            [BuildProducts.plugin("faults") + ":failing_startup"], status: 4,
            message: "application 'failing-startup' failed to start: the database at db.invalid is unreachable")
    }

    @Test("a malformed --bind")
    func malformedBind() throws {
        let result = try CommandResult.swiftserve(["--bind", "nonsense", BuildProducts.plugin("barebones")])
        #expect(result.status == 2)
        #expect(
            result.standardError
                == "swiftserve: error: malformed --bind 'nonsense': use HOST:PORT, [IPV6]:PORT or unix:PATH, optionally after proxy:\n"
        )
    }

    @Test("an address already in use")
    func addressInUse() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let result = try CommandResult.swiftserve([
            "--bind", "127.0.0.1:\(server.port)", BuildProducts.plugin("barebones"),
        ])
        #expect(result.status == 1)
        #expect(result.standardError.contains("swiftserve: error: cannot listen on 127.0.0.1:\(server.port)"))
    }
}

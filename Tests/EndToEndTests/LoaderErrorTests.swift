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
        // Nothing says the library is Swift: the hint fits any language.
        let result = try CommandResult.swiftserve(["/nonexistent/libnothing.so:app", "--bind", "127.0.0.1:0"])
        #expect(!result.standardError.contains("swift build"), "\(result.standardError)")
        // Under SwiftPM's build folder, it is.
        let swift = try CommandResult.swiftserve([
            "/nonexistent/.build/release/libnothing.so:app", "--bind", "127.0.0.1:0",
        ])
        #expect(swift.standardError.contains("(swift build)"), "\(swift.standardError)")
    }

    @Test("a file that is not a shared library, with the loader's reason")
    func notASharedLibrary() throws {
        let file = try Self.textFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try self.expectFailure(["\(file.path):app"], status: 4, message: "is not a loadable shared library (")
        let result = try CommandResult.swiftserve(["\(file.path):app", "--bind", "127.0.0.1:0"])
        #expect(result.standardError.contains("invalid ELF header") || result.standardError.contains("file too short"))
        #expect(result.standardError.contains("build it as a shared library"), "\(result.standardError)")
        #expect(!result.standardError.contains(".dynamic library product"), "\(result.standardError)")
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

    @Test("a missing symbol is named, with the way to export one in the library's language")
    func missingSymbol() throws {
        try self.expectFailure(
            [BuildProducts.plugin("barebones") + ":no_such_entry"], status: 4,
            message: "exports no symbol 'no_such_entry': name an entry point declared with @_cdecl(\"no_such_entry\")")
        let library = try CFixtures.probe.get()
        try self.expectFailure(["\(library):no_such_entry"], status: 4, message: "exports no symbol 'no_such_entry'")
        let result = try CommandResult.swiftserve(["\(library):no_such_entry", "--bind", "127.0.0.1:0"])
        #expect(!result.standardError.contains("@_cdecl"), "\(result.standardError)")
        #expect(result.standardError.contains("#[no_mangle]"), "\(result.standardError)")
        #expect(result.standardError.contains("extern \"C\""), "\(result.standardError)")
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
            message: "is built for SSGI ABI 2.0, but this server speaks SSGI ABI 1.2")
    }

    @Test("a newer ABI minor version than the server's")
    func newerMinor() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(
            ["\(library):newer_minor"], status: 4,
            message: "is built for SSGI ABI 1.9, but this server speaks SSGI ABI 1.2")
    }

    @Test("a descriptor without a handle function")
    func noHandle() throws {
        let library = try CFixtures.brokenDescriptors.get()
        try self.expectFailure(["\(library):no_handle"], status: 4, message: "handle is NULL")
    }

    @Test("an application built by another Swift compiler than the server is refused, naming both")
    func otherSwiftCompiler() throws {
        // The compiler that built the server is the one that built the Swift examples beside it,
        // which the server names when it loads one.
        let swift = try ServerProcess(application: BuildProducts.plugin("barebones"), arguments: ["--workers", "0"])
        let loaded = swift.log.firstMatch(of: /SSGI-Swift\/[0-9.]+, (Swift [^,)]+)[,)]/)
        #expect(swift.stop() == 0)
        let compiler = try #require(loaded.map { String($0.1) }, "\(swift.log)")
        let library = try CFixtures.brokenDescriptors.get()
        for workers in ["0", "1"] {
            try self.expectFailure(
                ["--workers", workers, "\(library):other_swift"], status: 4,
                message:
                    "'\(library)' was built by Swift 5.10, but this server was built by \(compiler): build the application and the server with the same Swift toolchain (Swift has no stable ABI on Linux)"
            )
        }
        // An application written in C names no Swift compiler, and is never refused for it.
        let c = try ServerProcess(application: try CFixtures.hello.get())
        #expect(c.stop() == 0)
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

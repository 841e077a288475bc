import Testing

@testable import SwiftServe

/// Loader errors: one line naming what was wrong, and the exit status.
@Suite("LoadError")
struct LoadErrorTests {
    static let cases: [(LoadError, [String])] = [
        (.missingArgument, ["provide an application as PATH.so:CALLABLE"]),
        (.malformedArgument("lib.so:1x"), ["'lib.so:1x'", "PATH.so:CALLABLE", "C identifier"]),
        (.fileNotFound(path: "./missing.so", swift: false), ["./missing.so", "no such file"]),
        (.fileNotFound(path: ".build/debug/libx.so", swift: true), [".build/debug/libx.so", "(swift build)"]),
        (
            .notASharedLibrary(path: "./x.txt", reason: "invalid ELF header", swift: false),
            ["./x.txt", "invalid ELF header", "build it as a shared library (cc -shared"]
        ),
        (
            .notASharedLibrary(path: "./x.so", reason: "libswiftCore.so: cannot open", swift: true),
            ["./x.so", "libswiftCore.so", ".dynamic library product"]
        ),
        (
            .symbolNotFound(symbol: "make_app", path: "./lib.so", swift: true),
            ["make_app", "./lib.so", "@_cdecl(\"make_app\")"]
        ),
        (
            .symbolNotFound(symbol: "make_app", path: "./lib.so", swift: false),
            ["make_app", "./lib.so", "extern \"C\"", "#[no_mangle]", "export fn"]
        ),
        (.entryPointReturnedNull(symbol: "app", path: "./lib.so"), ["'app'", "./lib.so", "NULL"]),
        (
            .badMagic(symbol: "app", path: "./lib.so", found: 0xDEAD, expected: 0x5353_4749),
            ["'app'", "./lib.so", "0x0000DEAD", "0x53534749"]
        ),
        (
            .abiMismatch(path: "./lib.so", foundMajor: 2, foundMinor: 0, expectedMajor: 1, expectedMinor: 0),
            ["./lib.so", "2.0", "1.0"]
        ),
        (.malformedDescriptor(path: "./lib.so", reason: "handle is NULL"), ["./lib.so", "handle is NULL"]),
        (.startupFailed(application: "echo", reason: "no database"), ["'echo'", "no database"]),
    ]

    @Test("each message names the key facts on one line", arguments: Self.cases)
    func description(error: LoadError, facts: [String]) {
        let message = error.description
        for fact in facts {
            #expect(message.contains(fact), "\(message) should contain \(fact)")
        }
        #expect(!message.contains("\n"))
    }

    @Test("argument errors exit with 2")
    func argumentExitCode() {
        #expect(LoadError.missingArgument.exitCode == 2)
        #expect(LoadError.malformedArgument("x:").exitCode == 2)
    }

    @Test("load and startup errors exit with 4", arguments: Self.cases.map(\.0).dropFirst(2))
    func loadExitCode(error: LoadError) {
        #expect(error.exitCode == 4)
    }
}

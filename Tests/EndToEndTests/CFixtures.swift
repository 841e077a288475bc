import Foundation
import SwiftServeTesting

/// The C plugins of `Fixtures/`, compiled with `cc` against `ssgi.h` alone, once per test run.
enum CFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The compiled `hello.c`: an SSGI application written in C.
    static let hello: Result<String, CompileError> = compile("hello")

    /// The compiled `broken_descriptors.c`: entry points the loader must refuse.
    static let brokenDescriptors: Result<String, CompileError> = compile("broken_descriptors")

    struct CompileError: Error, CustomStringConvertible {
        var description: String
    }

    private static func compile(_ name: String) -> Result<String, CompileError> {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftserve-c-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let library = output.appendingPathComponent("lib\(name).so").path
        let source = packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/\(name).c").path
        let include = packageRoot.appendingPathComponent("Sources/CSSGI/include").path
        do {
            let result = try CommandResult.run(
                "/usr/bin/env",
                [
                    "cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-I", include, source, "-o",
                    library,
                ])
            guard result.status == 0 else {
                return .failure(CompileError(description: "cc failed for \(name).c:\n\(result.standardError)"))
            }
            return .success(library)
        } catch {
            return .failure(CompileError(description: "cannot run cc: \(error)"))
        }
    }
}

import Foundation
import SwiftServeTesting

/// The C programs of `Fixtures/`, compiled with `cc` (plugins against `ssgi.h` alone), once per
/// test run.
enum CFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The compiled `hello.c`: an SSGI application written in C.
    static let hello: Result<String, CompileError> = compile("hello")

    /// The compiled `probe.c`: reports in the server's log what the operations returned and what
    /// its reads were told, run inline (`inline_app`) or on threads of its own (`thread_pool_app`).
    static let probe: Result<String, CompileError> = compile("probe")

    /// The compiled `recorder.c`: logs the codes, cleanups and shutdown the server gives it, with
    /// an INLINE (`inline_app`) and a THREAD_POOL (`pool_app`) entry point.
    static let recorder: Result<String, CompileError> = compile("recorder")

    /// The compiled `broken_descriptors.c`: entry points the loader must refuse.
    static let brokenDescriptors: Result<String, CompileError> = compile("broken_descriptors")

    /// Two builds of `version.c`, answering `version one` and `version two`: two releases of a
    /// library to swap under a running server.
    static let versionOne: Result<String, CompileError> = compile(
        "version", as: "version-one", defines: ["VERSION=\"one\""])
    static let versionTwo: Result<String, CompileError> = compile(
        "version", as: "version-two", defines: ["VERSION=\"two\""])

    /// The compiled `arguments.c`: an SSGI 1.1 application that answers with its arguments, and
    /// an SSGI 1.0 one (`legacy`).
    static let arguments: Result<String, CompileError> = compile("arguments")

    /// The compiled `server_1_0.c`: the loader of a server that knows SSGI 1.0 only.
    static let server10: Result<String, CompileError> = compile("server_1_0", executable: true)

    /// The compiled `socket_activate.c`: starts a command as systemd socket activation does.
    static let socketActivate: Result<String, CompileError> = compile("socket_activate", executable: true)

    struct CompileError: Error, CustomStringConvertible {
        var description: String
    }

    private static func compile(
        _ name: String, as product: String? = nil, defines: [String] = [], flags: [String] = [],
        executable: Bool = false
    ) -> Result<String, CompileError> {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftserve-c-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let product = product ?? name
        let path = output.appendingPathComponent(executable ? product : "lib\(product).so").path
        let source = packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/\(name).c").path
        let include = packageRoot.appendingPathComponent("Sources/CSSGI/include").path
        let kind = executable ? [] : ["-shared", "-fPIC"]
        do {
            let result = try CommandResult.run(
                "/usr/bin/env",
                ["cc", "-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Wextra", "-Werror", "-pthread"] + kind + flags
                    + defines.map { "-D\($0)" }
                    + ["-I", include, source, "-o", path])
            guard result.status == 0 else {
                return .failure(CompileError(description: "cc failed for \(name).c:\n\(result.standardError)"))
            }
            return .success(path)
        } catch {
            return .failure(CompileError(description: "cannot run cc: \(error)"))
        }
    }
}

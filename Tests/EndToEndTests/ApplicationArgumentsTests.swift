import Foundation
import SwiftServeTesting
import Testing

/// SSGI 1.1's application arguments (SPEC §4.1): `swiftserve PATH:CALLABLE -- ARGUMENTS...` hands
/// the words after `--` to the application's startup, argv-style, in every process that serves it.
@Suite("Application arguments")
struct ApplicationArgumentsTests {
    /// Words a shell would pass through unchanged, including ones swiftserve would read as its own
    /// options before `--`, an empty one, spaces and non-ASCII text.
    private static let words = ["flaskapp:app", "--workers", "3", "-b", "", "two words", "été", "--"]

    /// The C application's answer: its arguments, one per line.
    /// What the server says it is (`server_software`): `swiftserve/` and the version it prints.
    private static let serverSoftware: String = {
        let version = try? CommandResult.swiftserve(["--version"]).outputText.trimmingCharacters(in: .newlines)
        return "swiftserve/\(version ?? "?")"
    }()

    private func received(from server: ServerProcess) throws -> [String] {
        let response = try server.request("GET", "/")
        #expect(response.status == 200)
        return response.bodyText.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test(
        "the words after -- reach the startup of a C application, after the application reference",
        arguments: ["0", "1", "2"])
    func reachStartup(workers: String) throws {
        let library = try CFixtures.arguments.get()
        let server = try ServerProcess(
            application: "\(library):app", arguments: ["--workers", workers], applicationArguments: Self.words)
        defer { server.stop() }
        #expect(try self.received(from: server) == ["\(library):app"] + Self.words)
        // `--workers 3` after `--` was the application's, not the server's.
        if workers != "0" {
            #expect(server.waitForReadyWorkers(count: Int(workers)!) != nil, "\(server.log)")
        }
    }

    @Test("without --, the application gets its reference alone; CALLABLE is filled in when left out")
    func referenceAlone() throws {
        let library = try CFixtures.arguments.get()
        let server = try ServerProcess(application: library, arguments: ["--workers", "0"])
        defer { server.stop() }
        #expect(try self.received(from: server) == ["\(library):app"])
    }

    @Test("workers started by a reload get the same arguments")
    func afterReload() throws {
        let library = try CFixtures.arguments.get()
        let server = try ServerProcess(
            application: "\(library):app", arguments: ["--workers", "1"], applicationArguments: ["one", "two"])
        defer { server.stop() }
        let old = try #require(server.waitForReadyWorkers(count: 1))
        kill(server.pid, SIGHUP)
        #expect(server.waitForReadyWorkers(count: 1, excluding: old) != nil, "\(server.log)")
        #expect(try self.received(from: server) == ["\(library):app", "one", "two"])
    }

    @Test("a Swift application reads them in its startup hook: the environ example keeps the keys it is given")
    func swiftApplication() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), applicationArguments: ["PATH_INFO", "HTTP_X_PICK"])
        defer { server.stop() }
        let environ = try server.request("GET", "/picked", headers: [("X-Pick", "me")]).environ()
        #expect(environ == ["PATH_INFO": "/picked", "HTTP_X_PICK": "me", "ssgi.input.bytes_read": "0"])
        #expect(!server.log.contains("warning"))
    }

    @Test("under --validate the server's startup information passes the validator, and ssgi.version is 1.2")
    func validated() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--validate"],
            applicationArguments: ["ssgi.version"])
        defer { server.stop() }
        #expect(try server.request("GET", "/").environ()["ssgi.version"] == "1.2")
        #expect(server.log.contains("validating every request and response against SSGI 1.2"))
        #expect(server.validatorIsSilent, "\(server.log)")
    }

    @Test("an application built for SSGI 1.0 loads and starts unchanged")
    func legacyApplication() throws {
        let library = try CFixtures.arguments.get()
        let server = try ServerProcess(application: "\(library):legacy")
        defer { server.stop() }
        #expect(try self.received(from: server) == ["legacy: \(Self.serverSoftware) ABI 1.2"])
        #expect(server.log.contains("(SSGI ABI 1.0, "))
        #expect(!server.log.contains("warning"))
    }

    @Test("arguments given to an application built for SSGI 1.0 are reported, since it has no way to read them")
    func legacyApplicationWithArguments() throws {
        let library = try CFixtures.arguments.get()
        let server = try ServerProcess(application: "\(library):legacy", applicationArguments: ["a", "b"])
        defer { server.stop() }
        #expect(try self.received(from: server) == ["legacy: \(Self.serverSoftware) ABI 1.2"])
        #expect(
            server.waitForLog(
                "'legacy' is built for SSGI ABI 1.0, before application arguments: it may not read the 2 given after --"
            ),
            "\(server.log)")
    }

    @Test(
        "a server that knows SSGI 1.0 only refuses a 1.2 application, in C or Swift, naming both versions",
        arguments: ["arguments:app", "environ"])
    func refusedByOlderServer(application: String) throws {
        let library =
            application.hasPrefix("arguments")
            ? try CFixtures.arguments.get() + ":app" : BuildProducts.plugin(application) + ":app"
        let result = try CommandResult.run(try CFixtures.server10.get(), [library])
        #expect(result.status == 4)
        let path = String(library.dropLast(4))
        #expect(
            result.standardError
                == "server_1_0: error: '\(path)' is built for SSGI ABI 1.2, but this server speaks SSGI ABI 1.0: rebuild the application against SSGI 1.x with minor version at most 0\n"
        )
        #expect(result.outputText.isEmpty)
    }

    @Test("the same server loads and starts an application built for SSGI 1.0")
    func legacyOnOlderServer() throws {
        let result = try CommandResult.run(try CFixtures.server10.get(), [try CFixtures.arguments.get() + ":legacy"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.outputText == "started legacy\n")
    }
}

import Foundation
import SwiftServeTesting
import Testing

/// `--user`, `--group` and `--umask`: the master binds and gives its unix sockets to the user and
/// group; every worker (or the one process of `--workers 0`) then switches to them for good before
/// it loads the application.
@Suite("Privileges")
struct PrivilegeTests {
    static func socketPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-\(name)-\(getpid()).sock").path
    }

    /// The real, effective, saved and file-system ids of process `pid` from /proc (`Uid:` or `Gid:`).
    static func ids(_ key: String, of pid: pid_t) throws -> [String] {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("\(key):") })
        return line.split(whereSeparator: \.isWhitespace).dropFirst().map(String.init)
    }

    @Test(
        "--user and --group switch every id of every worker for good, and the unix socket goes to them",
        .enabled(if: TestEnvironment.runs(needing: TestEnvironment.isRoot), "switching users needs root"))
    func dropPrivileges() throws {
        let path = Self.socketPath("privileges")
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"),
            arguments: [
                "--workers", "2", "--bind", "unix:\(path)", "--user", "nobody", "--group", "nogroup", "--umask", "007",
            ])
        defer { server.stop() }
        #expect(server.waitForLog("workers serve as nobody:nogroup"))
        let workers = server.workerPIDs
        #expect(workers.count == 2)
        for worker in workers {
            #expect(try Self.ids("Uid", of: worker) == ["65534", "65534", "65534", "65534"])
            #expect(try Self.ids("Gid", of: worker) == ["65534", "65534", "65534", "65534"])
            #expect(try Self.ids("Groups", of: worker) == ["65534"])
        }
        // The master runs no application code, and keeps the privileges it was started with.
        #expect(try Self.ids("Uid", of: server.pid) == ["0", "0", "0", "0"])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.ownerAccountID] as? Int == 65534)
        #expect(attributes[.groupOwnerAccountID] as? Int == 65534)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o770)
        let client = try RawHTTPClient(unixSocket: path)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    @Test(
        "with --workers 0 the one process switches after binding; --user alone takes the user's own group",
        .enabled(if: TestEnvironment.runs(needing: TestEnvironment.isRoot), "switching users needs root"))
    func singleProcess() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--workers", "0", "--user", "65534"])
        defer { server.stop() }
        #expect(server.waitForLog("serving as nobody:nogroup"))
        #expect(try Self.ids("Uid", of: server.pid) == ["65534", "65534", "65534", "65534"])
        #expect(try Self.ids("Gid", of: server.pid) == ["65534", "65534", "65534", "65534"])
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    @Test("--umask sets the mode of unix sockets")
    func umask() throws {
        let path = Self.socketPath("umask")
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"), arguments: ["--bind", "unix:\(path)", "--umask", "0o077"])
        defer { server.stop() }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
        #expect(attributes[.ownerAccountID] as? Int == Int(getuid()))
    }

    @Test(
        "an unknown user or group, or a malformed umask, is refused before anything starts",
        arguments: [
            (["--user", "no-such-user-swiftserve"], "unknown user 'no-such-user-swiftserve' for --user"),
            (["--group", "no-such-group-swiftserve"], "unknown group 'no-such-group-swiftserve' for --group"),
            (["--umask", "9"], "malformed --umask '9'"), (["--umask", "01000"], "malformed --umask '01000'"),
        ])
    func refused(arguments: [String], message: String) throws {
        let result = try CommandResult.swiftserve(
            arguments + ["--bind", "127.0.0.1:0", BuildProducts.plugin("barebones")])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("swiftserve: error: \(message)"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }
}

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

    @Test(
        "with --user, the workers write an access log in a folder only root may write, also after a rotation",
        .enabled(if: TestEnvironment.runs(needing: TestEnvironment.isRoot), "switching users needs root"),
        arguments: [0, 2])
    func accessLogInRootFolder(workers: Int) throws {
        let directory = try TemporaryDirectory.make("log")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("access.log")
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--workers", "\(workers)", "--user", "nobody", "--access-log", log.path])
        defer { server.stop() }
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/before"]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: log.path)
        #expect(attributes[.ownerAccountID] as? Int == 65534)
        #expect(attributes[.groupOwnerAccountID] as? Int == 65534)
        if workers > 0 {
            // With a master, no `create` is needed in the rotation: the master makes the new file.
            try FileManager.default.moveItem(at: log, to: directory.appendingPathComponent("access.log.1"))
            kill(server.pid, SIGUSR1)
            let reopened = Date().addingTimeInterval(20)
            while server.logCount(of: "received SIGUSR1: reopened the access log") < workers, Date() < reopened {
                Thread.sleep(forTimeInterval: 0.02)
            }
            #expect(server.logCount(of: "received SIGUSR1: reopened the access log") == workers, "\(server.log)")
        }
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/after"]).status == 0)
        #expect(server.stop() == 0)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("GET /after HTTP/1.1"))
        #expect(!server.log.contains("cannot open access log"), "\(server.log)")
    }

    @Test(
        "a worker that cannot open the access log: the others keep serving, the log says why, and it starts once it can",
        .enabled(if: TestEnvironment.runs(needing: TestEnvironment.isRoot), "switching users needs root"))
    func workerCannotOpenAccessLog() throws {
        let directory = try TemporaryDirectory.make("log")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("access.log").path
        let server = try ServerProcess(
            application: BuildProducts.plugin("faults"),
            arguments: ["--workers", "2", "--user", "nobody", "--access-log", log])
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        #expect(chown(log, 0, 0) == 0 && chmod(log, 0o600) == 0)
        let victim = try #require(workers.first)
        kill(victim, SIGKILL)
        #expect(
            server.waitForLog(
                "cannot start: cannot open access log '\(log)': Permission denied: 1 worker keeps serving; trying again"
            ),
            "\(server.log)")
        let survivor = try #require(workers.subtracting([victim]).first)
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/pid"]).outputText == "\(survivor)\n")
        #expect(chown(log, 65534, 65534) == 0)
        #expect(server.waitForReadyWorkers(count: 2, excluding: [victim]) != nil, "\(server.log)")
        #expect(!server.log.contains("the application"), "\(server.log)")
    }

    @Test(
        "--workers 0 --user removes its pid file and unix socket at exit from a folder only root may write",
        .enabled(if: TestEnvironment.runs(needing: TestEnvironment.isRoot), "switching users needs root"),
        arguments: [SIGTERM, SIGKILL])
    func singleProcessRemovesFiles(signal: Int32) throws {
        let directory = try TemporaryDirectory.make("run")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("app.pid").path
        let socket = directory.appendingPathComponent("app.sock").path
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--workers", "0", "--user", "nobody", "--pid", pidFile, "--bind", "unix:\(socket)"])
        #expect(try Self.ids("Uid", of: server.pid) == ["65534", "65534", "65534", "65534"])
        #expect(FileManager.default.fileExists(atPath: pidFile))
        #expect(FileManager.default.fileExists(atPath: socket))
        server.stop(signal: signal)
        // The cleanup process removes the files when it next runs: with the whole suite at once on
        // two cores, one CI run checked 10 s after the kill with the pid file gone and the socket not.
        let deadline = Date().addingTimeInterval(30)
        while FileManager.default.fileExists(atPath: pidFile) || FileManager.default.fileExists(atPath: socket),
            Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(!FileManager.default.fileExists(atPath: pidFile))
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(ProcessTable.children(of: server.pid).isEmpty)
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

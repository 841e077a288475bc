import Foundation
import SwiftServeTesting
import Testing

/// systemd socket activation: the server serves on the sockets it is given, and says clearly when
/// the environment that passes them does not add up.
@Suite("Socket activation")
struct SocketActivationTests {
    private let hello = BuildProducts.plugin("barebones")

    @Test(
        "the server serves on the socket passed as descriptor 3", arguments: [["--workers", "2"], ["--workers", "0"]])
    func servesPassedSocket(arguments: [String]) throws {
        let launcher = try CFixtures.socketActivate.get()
        let server = try ServerProcess(application: self.hello, arguments: arguments, launcher: [launcher])
        defer { server.stop() }
        let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/"])
        #expect(result.outputText == "Hello world from a simple SSGI application!\n")
        for worker in server.workerPIDs {
            let environment = (try? String(contentsOfFile: "/proc/\(worker)/environ", encoding: .utf8)) ?? ""
            #expect(!environment.contains("LISTEN_FDS="), "a worker must not take the sockets for its own")
        }
    }

    /// Runs swiftserve through `sh -c`, so that the shell can set the environment (and
    /// descriptors) the way a service manager would; checks for one line and `status`.
    private func expectFailure(_ script: String, status: Int32, message: String) throws {
        let result = try CommandResult.run("/bin/sh", ["-c", script, BuildProducts.swiftserve, self.hello])
        #expect(result.status == status)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got:\n\(result.standardError)")
        #expect(result.standardError.hasPrefix("swiftserve: error: "))
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test("LISTEN_PID naming another process")
    func otherProcess() throws {
        try self.expectFailure(
            #"LISTEN_FDS=1 LISTEN_PID=1 exec "$0" "$1""#, status: 1,
            message: "LISTEN_PID is 1 but this process is ")
    }

    @Test("LISTEN_FDS without LISTEN_PID")
    func missingProcessID() throws {
        try self.expectFailure(
            #"LISTEN_FDS=1 exec "$0" "$1""#, status: 1, message: "LISTEN_FDS is set but LISTEN_PID is not")
    }

    @Test("LISTEN_FDS that is not a number")
    func malformedCount() throws {
        try self.expectFailure(
            #"LISTEN_FDS=three LISTEN_PID=$$ exec "$0" "$1""#, status: 1,
            message: "LISTEN_FDS is 'three', not a number of sockets")
    }

    @Test("a passed descriptor that is not a socket")
    func notASocket() throws {
        try self.expectFailure(
            #"LISTEN_FDS=1 LISTEN_PID=$$ exec "$0" "$1" 3</dev/null"#, status: 1,
            message: "descriptor 3 from LISTEN_FDS is not a socket")
    }

    @Test("LISTEN_FDS counting more sockets than were passed")
    func fewerSocketsThanCounted() throws {
        let launcher = try CFixtures.socketActivate.get()
        let result = try CommandResult.run(launcher, ["-n", "2", BuildProducts.swiftserve, self.hello])
        #expect(result.status == 1)
        #expect(
            result.standardError
                == "swiftserve: error: descriptor 4 from LISTEN_FDS is not open (LISTEN_FDS passes 2 sockets from descriptor 3): check the ListenStream= lines of the .socket unit\n"
        )
    }

    @Test("--bind together with socket activation")
    func bindAndActivation() throws {
        let launcher = try CFixtures.socketActivate.get()
        let result = try CommandResult.run(
            launcher, [BuildProducts.swiftserve, "--bind", "127.0.0.1:0", self.hello])
        #expect(result.status == 2)
        #expect(
            result.standardError
                == "swiftserve: error: --bind cannot be used under systemd socket activation (LISTEN_FDS): the .socket unit says where to listen\n"
        )
    }
}

import Foundation
import SwiftServeTesting
import Testing

/// The application's life under the server: booted in the startup hook, shut down in the shutdown
/// hook, with no HTTP server of its own and no view of the server's command line.
@Suite("Vapor application lifecycle under swiftserve")
struct LifecycleTests {
    @Test("the application boots before serving and shuts down when the server stops")
    func bootAndShutdown() throws {
        let server = try VaporExampleServer.start()
        #expect(server.log.contains("vaporexample booted in production"))
        #expect(!server.log.contains("vaporexample shut down"))
        #expect(try server.request("GET", "/hello").status == 200)
        #expect(server.stop() == 0)
        #expect(server.waitForLog("vaporexample shut down"))
    }

    @Test("Vapor's own HTTP server is not started: the process listens on swiftserve's port only")
    func noVaporServer() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        #expect(try server.request("GET", "/hello").status == 200)
        let ports = try ListeningSockets.ports(ofProcess: server.process.processIdentifier)
        #expect(ports == [server.port])
    }

    @Test("Vapor does not parse swiftserve's arguments: it runs in production with none")
    func argumentsNotSeen() throws {
        let server = try VaporExampleServer.start(["--log-level", "info", "--header-timeout", "30"])
        defer { server.stop() }
        let json = try #require(try server.request("GET", "/about").json)
        #expect(json["environment"] as? String == "production")
        #expect(json["arguments"] as? [String] == ["swiftserve"])
    }

    @Test("a configure that throws stops swiftserve from starting, and says why")
    func startupFailure() throws {
        let result = try CommandResult.swiftserve([
            "--bind", "127.0.0.1:0", BuildProducts.plugin("vaporstartupfailure") + ":app",
        ])
        #expect(result.status == 4)
        #expect(result.standardError.contains("application 'vaporstartupfailure' failed to start"))
        #expect(result.standardError.contains("configuring the Vapor application failed"))
        #expect(result.standardError.contains("the database is unreachable"))
        #expect(!result.standardError.contains("listening on"))
    }
}

/// The TCP ports a process listens on, from /proc: its socket descriptors matched against the
/// kernel's table of listening sockets.
enum ListeningSockets {
    static func ports(ofProcess pid: Int32) throws -> [Int] {
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        var inodes: Set<String> = []
        for descriptor in descriptors {
            guard
                let target = try? FileManager.default.destinationOfSymbolicLink(
                    atPath: "/proc/\(pid)/fd/\(descriptor)"),
                target.hasPrefix("socket:[")
            else { continue }
            inodes.insert(String(target.dropFirst("socket:[".count).dropLast()))
        }
        var ports: [Int] = []
        for table in ["/proc/\(pid)/net/tcp", "/proc/\(pid)/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is the tenth field.
                guard fields.count > 9, fields[3] == "0A", inodes.contains(String(fields[9])),
                    let port = fields[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) })
                else { continue }
                ports.append(port)
            }
        }
        return ports.sorted()
    }
}

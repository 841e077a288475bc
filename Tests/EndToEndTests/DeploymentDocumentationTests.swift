import Foundation
import SwiftServeTesting
import Testing

/// The configurations docs/DEPLOYMENT.md shows are checked by the tool they belong to: HAProxy's
/// is the one `HAProxyTests` runs (`haproxy -c` there), nginx's passes `nginx -t`, the systemd
/// template unit passes `systemd-analyze verify`.
@Suite("docs/DEPLOYMENT.md")
struct DeploymentDocumentationTests {
    /// The fenced blocks of docs/DEPLOYMENT.md tagged `language`.
    private func blocks(_ language: String) throws -> [String] {
        let text = try String(
            contentsOf: CFixtures.packageRoot.appendingPathComponent("docs/DEPLOYMENT.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    private func scratchDirectory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(
        "the HAProxy configuration is the one the HAProxy tests run",
        .enabled(if: TestEnvironment.runs(needing: TestEnvironment.executable("haproxy") != nil), "needs haproxy"))
    func haproxy() throws {
        let configuration = HAProxyProcess.configuration(
            port: 8080, backends: [.init(port: 8001, healthPort: 9001), .init(port: 8002, healthPort: 9002)])
        #expect(try self.blocks("haproxy").contains(configuration))
        let directory = try self.scratchDirectory("haproxy-doc")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("haproxy.cfg").path
        try configuration.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try CommandResult.run(try #require(TestEnvironment.executable("haproxy")), ["-c", "-f", file])
        #expect(check.status == 0, "\(check.outputText)\(check.standardError)")
    }

    @Test(
        "the nginx upstream configuration passes nginx -t",
        .enabled(if: TestEnvironment.runs(needing: TestEnvironment.executable("nginx") != nil), "needs nginx"))
    func nginx() throws {
        let blocks = try self.blocks("nginx").filter { $0.hasPrefix("upstream swiftserve") && $0.contains("max_fails") }
        try #require(blocks.count == 1)
        let directory = try self.scratchDirectory("nginx-doc")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path
        let configuration = """
            pid \(path)/nginx.pid;
            error_log \(path)/error.log warn;
            events {}
            http {
                access_log off;
                client_body_temp_path \(path)/client_body;
                proxy_temp_path \(path)/proxy;
                fastcgi_temp_path \(path)/fastcgi;
                uwsgi_temp_path \(path)/uwsgi;
                scgi_temp_path \(path)/scgi;
            \(blocks[0])
            }

            """
        let file = directory.appendingPathComponent("nginx.conf").path
        try configuration.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try CommandResult.run(
            try #require(TestEnvironment.executable("nginx")),
            ["-t", "-p", path, "-c", file, "-e", path + "/error.log"])
        #expect(check.status == 0, "\(check.outputText)\(check.standardError)")
    }

    @Test(
        "the systemd template unit passes systemd-analyze verify",
        .enabled(if: TestEnvironment.executable("systemd-analyze") != nil, "needs systemd-analyze"))
    func systemdTemplate() throws {
        let blocks = try self.blocks("ini").filter { $0.contains("ExecStart=") && $0.contains("%i") }
        try #require(blocks.count == 1)
        let directory = try self.scratchDirectory("systemd-doc")
        defer { try? FileManager.default.removeItem(at: directory) }
        let template = directory.appendingPathComponent("swiftserve@.service")
        try blocks[0].write(to: template, atomically: true, encoding: .utf8)
        let instance = directory.appendingPathComponent("swiftserve@8001.service")
        try FileManager.default.createSymbolicLink(at: instance, withDestinationURL: template)
        let check = try CommandResult.run(
            try #require(TestEnvironment.executable("systemd-analyze")), ["verify", instance.path])
        #expect(check.status == 0, "\(check.outputText)\(check.standardError)")
        #expect(check.standardError.isEmpty, "\(check.standardError)")
    }
}

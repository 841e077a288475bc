import Foundation
import SwiftServeTesting
import Testing

/// The configurations the guides give, run or checked by their own tools as a reader would:
/// systemd's units with `systemd-analyze verify`, the nginx site inside Debian's own nginx.conf
/// with `nginx -t`, the logrotate snippet with logrotate against a running server, and the
/// README's package lines with `swift build`. (The nginx site is run for real by `NginxTests`.)
@Suite("The guides, run as written")
struct DocumentationTests {
    @Test(
        "the systemd units pass systemd-analyze verify",
        .enabled(
            if: TestEnvironment.runs(needing: TestEnvironment.executable("systemd-analyze") != nil),
            "needs systemd-analyze (systemd)"))
    func systemdUnits() throws {
        let directory = try TemporaryDirectory.make("units")
        defer { try? FileManager.default.removeItem(at: directory) }
        try DeploymentGuide.file("docs/swiftserve.socket").write(
            to: directory.appendingPathComponent("swiftserve.socket"), atomically: true, encoding: .utf8)
        // The one thing of the machine: where the server is installed.
        try DeploymentGuide.replacing(
            try DeploymentGuide.file("docs/swiftserve.service"), ["/usr/local/bin/swiftserve": BuildProducts.swiftserve]
        ).write(to: directory.appendingPathComponent("swiftserve.service"), atomically: true, encoding: .utf8)
        let analyze = try #require(TestEnvironment.executable("systemd-analyze"))
        let result = try CommandResult.run(
            analyze,
            [
                "verify", directory.appendingPathComponent("swiftserve.socket").path,
                directory.appendingPathComponent("swiftserve.service").path,
            ])
        #expect(result.status == 0, "\(result.outputText)")
        #expect(!result.outputText.contains("swiftserve"), "\(result.outputText)")
        // The guide and the units name the same socket.
        let guide = try DeploymentGuide.file("docs/DEPLOYMENT.md")
        #expect(try DeploymentGuide.file("docs/swiftserve.socket").contains("ListenStream=/run/myapp/app.sock"))
        #expect(!guide.contains("/run/myapp.sock"))
        #expect(!(try DeploymentGuide.file("README.md")).contains("/run/myapp.sock"))
    }

    @Test(
        "the nginx site passes nginx -t inside Debian's own nginx.conf",
        .enabled(
            if: TestEnvironment.runs(
                needing: TestEnvironment.executable("nginx") != nil
                    && FileManager.default.fileExists(atPath: "/etc/nginx/nginx.conf") && TestEnvironment.isRoot),
            "needs Debian's nginx, and root to read its configuration as nginx -t does"))
    func nginxSiteInDebianConfiguration() throws {
        let directory = try TemporaryDirectory.make("nginx-t")
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = try #require(TestEnvironment.executable("openssl"))
        let made = try CommandResult.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=app.example.com", "-keyout", key, "-out", certificate,
            ])
        try #require(made.status == 0, "\(made.outputText)")
        let site = try DeploymentGuide.replacing(
            try DeploymentGuide.block("nginx", containing: "upstream swiftserve"),
            [
                "/etc/letsencrypt/live/app.example.com/fullchain.pem": certificate,
                "/etc/letsencrypt/live/app.example.com/privkey.pem": key,
            ])
        let sitePath = directory.appendingPathComponent("myapp").path
        try site.write(toFile: sitePath, atomically: true, encoding: .utf8)
        // Debian's nginx.conf, with the guide's site enabled in place of the default one.
        let configuration = try DeploymentGuide.replacing(
            try String(contentsOfFile: "/etc/nginx/nginx.conf", encoding: .utf8),
            ["include /etc/nginx/sites-enabled/*;": "include \(sitePath);"])
        #expect(configuration.contains("user www-data;"))
        let configurationPath = directory.appendingPathComponent("nginx.conf").path
        try configuration.write(toFile: configurationPath, atomically: true, encoding: .utf8)
        let nginx = try #require(TestEnvironment.executable("nginx"))
        let errorLog = directory.appendingPathComponent("error.log")
        let result = try CommandResult.run(nginx, ["-t", "-c", configurationPath, "-e", errorLog.path])
        let said = result.standardError + ((try? String(contentsOf: errorLog, encoding: .utf8)) ?? "")
        #expect(result.status == 0, "\(said)")
        #expect(said.contains("test is successful"), "\(said)")
    }

    @Test(
        "the logrotate snippet rotates the access log of a running server, which then writes a new one",
        .enabled(
            if: TestEnvironment.runs(needing: TestEnvironment.executable("logrotate") != nil),
            "needs logrotate (apt-get install -y logrotate)"))
    func logrotate() throws {
        let directory = try TemporaryDirectory.make("logrotate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("access.log")
        let pidFile = directory.appendingPathComponent("myapp.pid").path
        let server = try ServerProcess(
            application: BuildProducts.plugin("barebones"),
            arguments: ["--workers", "2", "--pid", pidFile, "--access-log", log.path])
        defer { server.stop() }
        _ = try #require(server.waitForReadyWorkers(count: 2))
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/before"]).status == 0)

        let snippet = try DeploymentGuide.replacing(
            try DeploymentGuide.block("", containing: "postrotate"),
            ["/var/log/myapp/access.log": log.path, "/run/myapp.pid": pidFile])
        let configuration = directory.appendingPathComponent("myapp.logrotate")
        try snippet.write(to: configuration, atomically: true, encoding: .utf8)
        let rotate = try CommandResult.run(
            try #require(TestEnvironment.executable("logrotate")),
            ["-f", "-s", directory.appendingPathComponent("state").path, configuration.path])
        #expect(rotate.status == 0, "\(rotate.outputText)")
        #expect(server.waitForLog("received SIGUSR1: the workers reopen their log files"), "\(server.log)")
        let reopened = Date().addingTimeInterval(20)
        while server.logCount(of: "received SIGUSR1: reopened the access log") < 2, Date() < reopened {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(server.logCount(of: "received SIGUSR1: reopened the access log") == 2, "\(server.log)")
        #expect(try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/after"]).status == 0)
        #expect(server.stop() == 0)
        let rotated = try String(contentsOf: directory.appendingPathComponent("access.log.1"), encoding: .utf8)
        #expect(rotated.contains("GET /before HTTP/1.1"))
        let fresh = try String(contentsOf: log, encoding: .utf8)
        #expect(fresh.contains("GET /after HTTP/1.1"))
        #expect(!fresh.contains("/before"))
    }

    @Test("the README's package lines build an app against a clone whose folder has another name, and it serves")
    func readmePackage() throws {
        let directory = try TemporaryDirectory.make("readme-app")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A clone under another name: a link to this repository.
        let clone = directory.appendingPathComponent("ssgi-checkout").path
        try FileManager.default.createSymbolicLink(atPath: clone, withDestinationPath: CFixtures.packageRoot.path)
        let lines = try DeploymentGuide.block(in: "README.md", "swift", containing: ".package(").split(separator: "\n")
        func line(_ prefix: String) throws -> String {
            let found = lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }
            return try #require(found.map(String.init), "README.md has no '\(prefix)' line")
        }
        let package = """
            // swift-tools-version:6.0
            import PackageDescription

            let package = Package(
                name: "hello",
                products: [
                    \(try line(".library("))
                ],
                dependencies: [
                    \(try DeploymentGuide.replacing(try line(".package("), ["../swiftserve": clone]))
                ],
                targets: [
                    \(try line(".target("))
                ]
            )

            """
        let app = directory.appendingPathComponent("hello")
        try FileManager.default.createDirectory(
            at: app.appendingPathComponent("Sources/Hello"), withIntermediateDirectories: true)
        try package.write(to: app.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        let source = try DeploymentGuide.block(
            in: "README.md", "swift", containing: "exportApplication(name: \"hello\")")
        try source.write(to: app.appendingPathComponent("Sources/Hello/Hello.swift"), atomically: true, encoding: .utf8)

        let swift = try #require(TestEnvironment.executable("swift"), "swift is not on the PATH")
        let build = try CommandResult.run(swift, ["build", "--package-path", app.path], timeout: 900)
        try #require(build.status == 0, "\(package)\n\(build.outputText)")
        #expect(!build.outputText.contains("warning:"), "\(build.outputText)")
        let library = app.appendingPathComponent(".build/debug/libhello.so").path
        let server = try ServerProcess(application: library)
        defer { server.stop() }
        let answer = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/there?you"])
        #expect(answer.outputText == "Hello you from /there\n")
    }
}

import Foundation
import SwiftServeTesting

/// The bridge, `libwsgi.so` of this package's build, served by the real `swiftserve`
/// (`SWIFTSERVE_EXECUTABLE`, as scripts/test sets it) in the Examples folder, with the tests'
/// own applications (Tests/PythonApps) on `--pythonpath`.
enum PythonServer {
    static let package = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The four example applications.
    static let examples = package.appendingPathComponent("Examples").path
    /// The tests' applications: `pep3333`, `validated`, ...
    static let testApplications = package.appendingPathComponent("Tests/PythonApps").path
    /// `libwsgi.so:app`.
    static let bridge = BuildProducts.plugin("wsgi") + ":app"

    /// Starts swiftserve on the bridge serving `application` (`MODULE:CALLABLE`), with
    /// swiftserve's `arguments` and the bridge's `bridgeArguments`. `VIRTUAL_ENV` is cleared
    /// unless `environment` sets it.
    static func start(
        _ application: String, arguments: [String] = [], bridgeArguments: [String] = [],
        directory: String = examples, environment: [String: String] = [:]
    ) throws -> ServerProcess {
        try ServerProcess(
            application: bridge, arguments: arguments,
            applicationArguments: [application, "--pythonpath", testApplications] + bridgeArguments,
            environment: ["VIRTUAL_ENV": ""].merging(environment) { $1 }, directory: directory, timeout: 60)
    }

    /// Runs swiftserve on the bridge with `bridgeArguments` until it exits by itself (a start-up
    /// that fails), in `directory`.
    static func run(
        _ bridgeArguments: [String], directory: String = examples, environment: [String: String] = [:]
    ) throws -> CommandResult {
        try CommandResult.run(
            BuildProducts.swiftserve, ["--bind", "127.0.0.1:0", bridge, "--"] + bridgeArguments, timeout: 60,
            environment: ["VIRTUAL_ENV": ""].merging(environment) { $1 }, directory: directory)
    }

    /// A line the application wrote through wsgi.errors, or one of the server's: waits for it.
    static func waitForLog(_ server: ServerProcess, _ text: String) -> Bool {
        server.waitForLog(text, timeout: 15)
    }
}

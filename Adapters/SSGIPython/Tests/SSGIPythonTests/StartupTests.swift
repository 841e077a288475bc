import Foundation
import SwiftServeTesting
import Testing

/// Starting the bridge as gunicorn users expect: `MODULE:CALLABLE` found from the current
/// directory, `--pythonpath`, a virtualenv from `VIRTUAL_ENV`; and stopping the server, with
/// Python's own message, when the application cannot be imported.
@Suite("Start-up")
struct StartupTests {
    /// A temporary folder holding `files` (name to contents).
    private static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ssgipython-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, contents) in files {
            let file = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: file)
        }
        return folder
    }

    private static let reporter = """
        import json, sys

        def app(environ, start_response):
            body = json.dumps({"argv": sys.argv, "path": sys.path[:3], "prefix": sys.prefix,
                               "executable": sys.executable}).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        """

    @Test("the module is found in the current directory; sys.argv is the bridge's arguments")
    func currentDirectory() throws {
        let folder = try Self.folder(["reporter.py": Self.reporter])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try PythonServer.start(
            "reporter:app", bridgeArguments: ["--threads", "3"], directory: folder.path)
        defer { server.stop() }
        let report = try #require(try server.request("GET", "/").json, "\(server.log)")
        #expect(
            report["argv"] as? [String] == [
                PythonServer.bridge, "reporter:app", "--pythonpath", PythonServer.testApplications, "--threads", "3",
            ])
        let path = try #require(report["path"] as? [String])
        #expect(path.first == PythonServer.testApplications)
        #expect(
            path.dropFirst().first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
                == folder.resolvingSymlinksInPath().path)
        #expect(report["prefix"] as? String == "/usr")
        #expect(report["executable"] as? String == "/usr/bin/python3.11")
    }

    @Test("--pythonpath finds a module elsewhere; a dotted callable and a factory are resolved")
    func pythonPath() throws {
        let folder = try Self.folder([
            "lib/factory.py": """
            class Holder:
                pass

            def make():
                def app(environ, start_response):
                    start_response("200 OK", [("Content-Type", "text/plain")])
                    return [b"made\\n"]
                return app

            holder = Holder()
            holder.app = make()
            """
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        for callable in ["factory:make()", "factory:holder.app"] {
            let server = try PythonServer.start(
                callable, bridgeArguments: ["--pythonpath", folder.appendingPathComponent("lib").path])
            defer { server.stop() }
            #expect(try server.request("GET", "/").bodyText == "made\n", "\(server.log)")
        }
    }

    @Test("a virtualenv made from this Python with VIRTUAL_ENV set is used, its packages first")
    func virtualenv() throws {
        let folder = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let virtualenv = folder.appendingPathComponent("venv").path
        let made = try CommandResult.run("/usr/bin/python3", ["-m", "venv", "--system-site-packages", virtualenv])
        try #require(made.status == 0, "\(made.standardError)")
        let sitePackages = "\(virtualenv)/lib/python3.11/site-packages"
        try Data(Self.reporter.utf8).write(to: URL(fileURLWithPath: "\(sitePackages)/venvonly.py"))
        let server = try PythonServer.start("venvonly:app", environment: ["VIRTUAL_ENV": virtualenv])
        defer { server.stop() }
        let report = try #require(try server.request("GET", "/").json, "\(server.log)")
        #expect(report["prefix"] as? String == virtualenv)
        #expect(report["executable"] as? String == "\(virtualenv)/bin/python3.11")
        // The system's packages stay visible, as --system-site-packages says.
        let flask = try PythonServer.start("flaskapp:app", environment: ["VIRTUAL_ENV": virtualenv])
        defer { flask.stop() }
        #expect(try flask.request("GET", "/hello").status == 200)
    }

    @Test("a virtualenv made by another Python, or none at all, stops the server with the reason")
    func wrongVirtualenv() throws {
        let folder = try Self.folder(["other/pyvenv.cfg": "home = /opt/other-python/bin\nversion = 3.11.7\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = try PythonServer.run(
            ["wsgiapp:app"], environment: ["VIRTUAL_ENV": folder.appendingPathComponent("other").path])
        #expect(other.status == 4)
        #expect(
            other.standardError.contains("was made with the Python in /opt/other-python/bin"), "\(other.standardError)")
        let missing = try PythonServer.run(["wsgiapp:app"], environment: ["VIRTUAL_ENV": "/nonexistent/venv"])
        #expect(missing.status == 4)
        #expect(missing.standardError.contains("VIRTUAL_ENV is /nonexistent/venv, which is not a virtualenv"))
    }

    @Test(
        "an application that cannot be imported stops the server with Python's own message, and logs where",
        arguments: [
            ("nosuchmodule:app", "ModuleNotFoundError: No module named 'nosuchmodule'", nil),
            ("wsgiapp:nope", "AttributeError: module 'wsgiapp' has no attribute 'nope'", nil),
            ("broken_syntax:app", "SyntaxError: expected ':'", "broken_syntax.py\", line 3"),
            (
                "raising_import:app", "RuntimeError: the database at db.invalid is unreachable",
                "Traceback (most recent call last):"
            ),
        ])
    func importError(application: String, message: String, traceback: String?) throws {
        let result = try PythonServer.run([application, "--pythonpath", PythonServer.testApplications])
        #expect(result.status == 4)
        #expect(
            result.standardError.contains("swiftserve: error: application 'wsgi' failed to start: \(message)"),
            "\(result.standardError)")
        // The worker's log has Python's traceback, with the file and line when there is one.
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.filter { $0.contains(message) }.count == 2, "\(result.standardError)")
        if let traceback {
            #expect(result.standardError.contains(traceback), "\(result.standardError)")
        }
    }

    @Test(
        "malformed bridge arguments stop the server with the usage",
        arguments: [
            ([], "name the WSGI application as MODULE:CALLABLE"), (["a:b", "c:d"], "one application only"),
            (["wsgiapp:app", "--threads", "0"], "--threads must be a whole number, at least 1"),
            (["wsgiapp:app", "--bogus"], "unknown option '--bogus'"), ([":app"], "malformed application ':app'"),
            (["wsgiapp:app", "--pythonpath"], "--pythonpath needs a value"),
        ])
    func usage(arguments: [String], message: String) throws {
        let result = try PythonServer.run(arguments)
        #expect(result.status == 4)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.contains("usage: swiftserve libwsgi.so:app -- MODULE[:CALLABLE]"))
    }

    @Test("a value that is not callable is refused")
    func notCallable() throws {
        let folder = try Self.folder(["notcallable.py": "app = 42\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try PythonServer.run(["notcallable:app"], directory: folder.path)
        #expect(result.status == 4)
        #expect(result.standardError.contains("'notcallable:app' is not callable"))
    }
}

import Foundation
import SwiftServeTesting
import Testing

@testable import Flaskish

/// Werkzeug's routing: rules with converters, precedence, methods, and the automatic answers.
@Suite("Routing")
struct RoutingTests {
    @Test("a static rule answers its path, and any other path is a 404 with Werkzeug's page")
    func staticRule() async throws {
        var app = Flask("test")
        app.get("/hello") { _ in "hi" }
        let hello = try await call(app, "/hello")
        #expect(hello.status == "200 OK")
        #expect(hello.text == "hi")
        let missing = try await call(app, "/nope")
        #expect(missing.statusCode == 404)
        #expect(missing.header("Content-Type") == "text/html; charset=utf-8")
        #expect(missing.text.contains("<title>404 Not Found</title>"))
        #expect(missing.text.contains("The requested URL was not found on the server."))
    }

    @Test("the int converter gives an Int, and a path it rejects falls through to the next rule")
    func intConverter() async throws {
        var app = Flask("test")
        app.get("/users/<int:id>") { request in "int \(try request.viewArg("id", as: Int.self) + 1)" }
        app.get("/users/<name>") { request in "name \(try request.viewArg("name", as: String.self))" }
        #expect(try await call(app, "/users/41").text == "int 42")
        #expect(try await call(app, "/users/ada").text == "name ada")
        #expect(try await call(app, "/users/-1").text == "name -1")
        #expect(try await call(app, "/users/").statusCode == 404)
        #expect(try await call(app, "/users/a/b").statusCode == 404)
    }

    @Test("rules are tried most specific first, whatever the order they were registered in")
    func precedence() async throws {
        var app = Flask("test")
        app.get("/pages/<path:rest>") { _ in "path" }
        app.get("/pages/<name>") { _ in "string" }
        app.get("/pages/<int:number>") { _ in "int" }
        app.get("/pages/about") { _ in "static" }
        #expect(try await call(app, "/pages/about").text == "static")
        #expect(try await call(app, "/pages/12").text == "int")
        #expect(try await call(app, "/pages/intro").text == "string")
        #expect(try await call(app, "/pages/a/b").text == "path")
    }

    @Test("float, uuid, path and any converters match and type their values")
    func otherConverters() async throws {
        var app = Flask("test")
        app.get("/price/<float:amount>") { request in "\(try request.viewArg("amount", as: Double.self) * 2)" }
        app.get("/items/<uuid:id>") { request in "\(try request.viewArg("id", as: UUID.self))" }
        app.get("/files/<path:path>/raw") { request in try request.viewArg("path", as: String.self) }
        app.get("/<any(about, help):page>") { request in "page \(try request.viewArg("page", as: String.self))" }
        #expect(try await call(app, "/price/1.25").text == "2.5")
        #expect(try await call(app, "/price/1").statusCode == 404)
        #expect(
            try await call(app, "/items/550E8400-e29b-41d4-a716-446655440000").text
                == "550E8400-E29B-41D4-A716-446655440000")
        #expect(try await call(app, "/items/not-a-uuid").statusCode == 404)
        #expect(try await call(app, "/files/a/b/c.txt/raw").text == "a/b/c.txt")
        #expect(try await call(app, "/help").text == "page help")
        #expect(try await call(app, "/contact").statusCode == 404)
    }

    @Test("a variable may sit between texts in one segment")
    func variableInsideSegment() async throws {
        var app = Flask("test")
        app.get("/report-<int:year>.csv") { request in "\(try request.viewArg("year", as: Int.self))" }
        #expect(try await call(app, "/report-2026.csv").text == "2026")
        #expect(try await call(app, "/report-x.csv").statusCode == 404)
    }

    @Test("a percent-encoded path is matched decoded, non-ASCII included")
    func decodedPath() async throws {
        var app = Flask("test")
        app.get("/users/<name>") { request in try request.viewArg("name", as: String.self) }
        #expect(try await call(app, "/users/Z%C3%BCrich%20Ost").text == "Zürich Ost")
    }

    @Test("a known path with another method is a 405 whose Allow lists every method, HEAD and OPTIONS included")
    func methodNotAllowed() async throws {
        var app = Flask("test")
        app.route("/items", methods: ["get"]) { _ in "list" }
        app.post("/items") { _ in "created" }
        let response = try await call(app, "DELETE", "/items")
        #expect(response.statusCode == 405)
        #expect(response.header("Allow") == "GET, HEAD, OPTIONS, POST")
        #expect(response.text.contains("The method is not allowed for the requested URL."))
        #expect(try await call(app, "POST", "/items", body: "").text == "created")
        #expect(try await call(app, "GET", "/items").text == "list")
    }

    @Test("HEAD runs the GET view and keeps its headers")
    func automaticHead() async throws {
        let calls = Locked<[String]>([])
        var app = Flask("test")
        app.get("/hello") { request in
            calls.withLock { $0.append(request.method) }
            return text("hello\n")
        }
        let response = try await call(app, "HEAD", "/hello")
        #expect(response.statusCode == 200)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.header("Content-Length") == "6")
        #expect(calls.value == ["HEAD"])
        #expect(try await call(app, "HEAD", "/other").statusCode == 404)
    }

    @Test("OPTIONS is answered with Allow and no body, unless the rule handles OPTIONS itself")
    func automaticOptions() async throws {
        var app = Flask("test")
        app.route("/items", methods: ["GET", "POST"]) { _ in "view" }
        app.route("/custom", methods: ["OPTIONS"]) { _ in "custom options" }
        let options = try await call(app, "OPTIONS", "/items")
        #expect(options.statusCode == 200)
        #expect(options.header("Allow") == "GET, HEAD, OPTIONS, POST")
        #expect(options.body.isEmpty)
        #expect(try await call(app, "OPTIONS", "/custom").text == "custom options")
    }

    @Test("a rule ending in '/' redirects its path without the slash with a 308, query kept")
    func strictSlashes() async throws {
        var app = Flask("test")
        app.get("/projects/") { _ in "projects" }
        app.get("/about") { _ in "about" }
        app.route("/loose/", strictSlashes: false) { _ in "loose" }
        let redirect = try await call(app, "/projects?page=2", scriptName: "/app")
        #expect(redirect.statusCode == 308)
        #expect(redirect.header("Location") == "/app/projects/?page=2")
        #expect(try await call(app, "/projects/").text == "projects")
        #expect(try await call(app, "/about/").statusCode == 404)
        #expect(try await call(app, "/loose").statusCode == 404)
    }

    @Test("the endpoint and rule of the match are on the request")
    func endpointAndRule() async throws {
        var app = Flask("test")
        app.get("/users/<int:id>", endpoint: "user") { request in "\(request.endpoint ?? "") \(request.urlRule ?? "")" }
        app.get("/plain") { request in request.endpoint ?? "" }
        #expect(try await call(app, "/users/3").text == "user /users/<int:id>")
        #expect(try await call(app, "/plain").text == "/plain")
    }

    @Test(
        "malformed rules are refused with the reason",
        arguments: [
            ("users", "does not start with '/'"),
            ("/users/<id", "'<' without its '>'"),
            ("/users/<int:1id>", "not an identifier"),
            ("/users/<bogus:id>", "unknown converter 'bogus'"),
            ("/<a>/<int:a>", "names the variable 'a' twice"),
        ])
    func malformedRules(pattern: String, reason: String) {
        #expect {
            _ = try Rule.parse(pattern)
        } throws: { error in
            (error as? RoutingError)?.message.contains(reason) == true
        }
    }

    @Test("a view argument read under the wrong name or type is a 500")
    func wrongViewArgument() async throws {
        var app = Flask("test")
        app.get("/users/<int:id>") { request in try request.viewArg("id", as: UUID.self).uuidString }
        app.get("/other/<int:id>") { request in try request.viewArg("name", as: String.self) }
        let errors = Locked<[String]>([])
        #expect(try await call(app, "/users/3", errors: errors).statusCode == 500)
        #expect(try await call(app, "/other/3", errors: errors).statusCode == 500)
        #expect(errors.value.count == 2)
        #expect(errors.value[1].contains("has no variable 'name'"))
    }
}

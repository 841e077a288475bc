import Pyramidish
import SSGI
import Testing

@Suite("URL generation")
struct URLGenerationTests {
    /// An app whose `/gen` view answers with what `generate` returns, or the error it throws.
    private func app(_ generate: @escaping @Sendable (Request) throws -> String) throws -> AsyncApplication {
        var config = Configurator()
        config.addRoute("gen", "/gen")
        config.addRoute("user", "/users/{id}")
        config.addRoute("file", "/files/{path:.*}")
        config.addRoute("static", "/static/*subpath")
        config.addRoute("café", "/café/{name}")
        config.addView(routeName: "gen") { request in
            do {
                return Response(try generate(request))
            } catch {
                return Response("error: \(error)")
            }
        }
        return try config.makeApp()
    }

    @Test("routeURL joins ssgi.url_scheme, Host, SCRIPT_NAME and the route's path")
    func routeURL() async throws {
        let app = try self.app { try $0.routeURL("user", ["id": "3"]) }
        let environ = makeEnviron("/gen", headers: [("Host", "example.com")], scriptName: "/app", urlScheme: "https")
        #expect(try await callApplication(app, environ).text == "https://example.com/app/users/3")
    }

    @Test("routePath is SCRIPT_NAME and the route's path, without scheme or host")
    func routePath() async throws {
        let app = try self.app { try $0.routePath("user", ["id": "3"]) }
        #expect(try await callApplication(app, makeEnviron("/gen", scriptName: "/app")).text == "/app/users/3")
        #expect(try await call(app, "/gen").text == "/users/3")
    }

    @Test("values are percent-encoded, and only remainders keep their slashes")
    func encoding() async throws {
        let app = try self.app { request in
            [
                try request.routePath("user", ["id": "a b/c?d"]),
                try request.routePath("file", ["path": "docs/a b.txt"]),
                try request.routePath("static", ["subpath": "css/x y.css"]),
                try request.routePath("static"),
                try request.routePath("café", ["name": "ü"]),
            ].joined(separator: " ")
        }
        #expect(
            try await call(app, "/gen").text
                == "/users/a%20b%2Fc%3Fd /files/docs/a%20b.txt /static/css/x%20y.css /static/ /caf%C3%A9/%C3%BC")
    }

    @Test("a generated path matches its own route again")
    func roundTrip() async throws {
        var config = Configurator()
        config.addRoute("user", "/users/{id}")
        config.addView(routeName: "user") { request in
            Response("\(request.matchdict["id"]!) \(try request.routePath("user", request.matchdict))")
        }
        let app = try config.makeApp()
        #expect(try await call(app, "/users/a b").text == "a b /users/a%20b")
    }

    @Test("query and anchor are encoded and appended")
    func queryAndAnchor() async throws {
        let app = try self.app {
            try $0.routePath("user", ["id": "3"], query: ["q": "a b&c", "tag": "x", "tag": "y"], anchor: "top part")
        }
        #expect(try await call(app, "/gen").text == "/users/3?q=a+b%26c&tag=x&tag=y#top%20part")
    }

    @Test("an unknown route or a missing placeholder throws URLGenerationError")
    func errors() async throws {
        let unknown = try self.app { try $0.routeURL("nope") }
        #expect(try await call(unknown, "/gen").text == "error: cannot generate a URL: no route named 'nope'")
        let missing = try self.app { try $0.routePath("user", ["other": "1"]) }
        #expect(
            try await call(missing, "/gen").text == "error: cannot generate a URL for route 'user': no value for 'id'")
    }
}

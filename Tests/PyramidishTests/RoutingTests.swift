import Pyramidish
import SSGI
import Testing

@Suite("Routing")
struct RoutingTests {
    @Test("a route without placeholders matches only its exact path")
    func staticRoute() async throws {
        let app = try makeApp("/hello") { _ in Response("hi") }
        #expect(try await call(app, "/hello").text == "hi")
        #expect(try await call(app, "/hello/").statusCode == 404)
        #expect(try await call(app, "/hell").statusCode == 404)
        #expect(try await call(app, "/hello/x").statusCode == 404)
    }

    @Test("a {name} placeholder captures one non-empty path segment, percent-decoded")
    func segmentPlaceholder() async throws {
        let app = try makeApp("/users/{id}/posts", echoMatchdict)
        #expect(try await call(app, "/users/a b/posts").text == "id=a b\n")
        #expect(try await call(app, "/users/a/b/posts").statusCode == 404)
        #expect(try await call(app, "/users//posts").statusCode == 404)
    }

    @Test("a {name:regex} placeholder that does not match falls through to 404")
    func regexPlaceholder() async throws {
        let app = try makeApp("/items/{n:\\d+}") { request in
            Response("item \(try request.matched("n", as: Int.self) + 1)")
        }
        #expect(try await call(app, "/items/41").text == "item 42")
        #expect(try await call(app, "/items/abc").statusCode == 404)
        #expect(try await call(app, "/items/4a").statusCode == 404)
    }

    @Test("matched(_:as:) converts a placeholder, and a value that does not convert is a 404")
    func typedPlaceholder() async throws {
        let app = try makeApp("/pages/{n}") { request in
            Response("page \(try request.matched("n", as: Int.self))")
        }
        #expect(try await call(app, "/pages/7").text == "page 7")
        #expect(try await call(app, "/pages/seven").statusCode == 404)
    }

    @Test("a {path:.*} placeholder takes the rest of the path, slashes included")
    func regexRemainder() async throws {
        let app = try makeApp("/files/{path:.*}", echoMatchdict)
        #expect(try await call(app, "/files/a/b/c.txt").text == "path=a/b/c.txt\n")
        #expect(try await call(app, "/files/").text == "path=\n")
        #expect(try await call(app, "/files").statusCode == 404)
    }

    @Test("a *name remainder takes the rest of the path after its prefix")
    func starRemainder() async throws {
        let app = try makeApp("/static/*subpath", echoMatchdict)
        #expect(try await call(app, "/static/css/site.css").text == "subpath=css/site.css\n")
        #expect(try await call(app, "/static/").text == "subpath=\n")
        #expect(try await call(app, "/static").statusCode == 404)
        #expect(try await call(app, "/statics/x").statusCode == 404)
    }

    @Test("placeholders that share a segment with text are matched too")
    func placeholdersWithinSegment() async throws {
        let app = try makeApp("/download/{name}.{ext}", echoMatchdict)
        #expect(try await call(app, "/download/report.final.pdf").text == "ext=pdf\nname=report.final\n")
        #expect(try await call(app, "/download/report").statusCode == 404)
    }

    @Test("the text around placeholders matched by a regex is literal, whatever its characters")
    func literalTextInRegexPattern() async throws {
        let app = try makeApp("/a+b (c)/{name}.{ext}", echoMatchdict)
        #expect(try await call(app, "/a+b (c)/x.y").text == "ext=y\nname=x\n")
        #expect(try await call(app, "/aab (c)/x.y").statusCode == 404)
        #expect(try await call(app, "/a+b c/x.y").statusCode == 404)
        #expect(try await call(app, "/a+b (c)/xy").statusCode == 404)
    }

    @Test("routes are tried in the order they were added, and the first match wins")
    func firstMatchWins() async throws {
        var config = Configurator()
        config.addRoute("me", "/users/me")
        config.addRoute("user", "/users/{id}")
        config.addView(routeName: "me", requestMethod: "GET") { _ in Response("me") }
        config.addView(routeName: "user", requestMethod: "GET") { request in
            Response("user \(request.matchdict["id"]!)")
        }
        let app = try config.makeApp()
        #expect(try await call(app, "/users/me").text == "me")
        #expect(try await call(app, "/users/you").text == "user you")
    }

    @Test("the matched route is on the request")
    func matchedRoute() async throws {
        let app = try makeApp("/users/{id}") { request in
            Response("\(request.matchedRoute?.name ?? "none") \(request.matchedRoute?.pattern ?? "")")
        }
        #expect(try await call(app, "/users/3").text == "only /users/{id}")
    }

    @Test("an empty PATH_INFO is routed as /")
    func emptyPathInfo() async throws {
        let app = try makeApp("/") { _ in Response("root") }
        let response = try await callApplication(app, makeEnviron("", scriptName: "/mounted"))
        #expect(response.text == "root")
    }

    @Test("include puts its route prefix before the patterns added inside it")
    func includeWithPrefix() async throws {
        var config = Configurator()
        config.include(routePrefix: "/api/") { config in
            config.addRoute("api_root", "")
            config.addRoute("api_user", "/users/{id}")
            config.include(routePrefix: "v2") { config in config.addRoute("v2_user", "users/{id}") }
        }
        config.addRoute("outside", "/users/{id}")
        for name in ["api_root", "api_user", "v2_user", "outside"] {
            config.addView(routeName: name) { request in
                Response("\(name) \(try request.routePath(name, ["id": "3"]))")
            }
        }
        let app = try config.makeApp()
        #expect(try await call(app, "/api").text == "api_root /api")
        #expect(try await call(app, "/api/users/3").text == "api_user /api/users/3")
        #expect(try await call(app, "/api/v2/users/3").text == "v2_user /api/v2/users/3")
        #expect(try await call(app, "/users/3").text == "outside /users/3")
    }
}

import Pyramidish
import SSGI
import Testing

@Suite("View lookup")
struct ViewLookupTests {
    private func itemsApp() throws -> AsyncApplication {
        var config = Configurator()
        config.addRoute("items", "/items")
        config.addView(routeName: "items", requestMethod: "GET") { _ in Response("list") }
        config.addView(routeName: "items", requestMethod: "post", "PUT") { request in
            Response("stored \(request.method)", status: .created)
        }
        return try config.makeApp()
    }

    @Test("the views of one route are chosen by request method")
    func byMethod() async throws {
        let app = try self.itemsApp()
        #expect(try await call(app, "GET", "/items").text == "list")
        let created = try await call(app, "POST", "/items")
        #expect(created.status == "201 Created")
        #expect(created.text == "stored POST")
        #expect(try await call(app, "PUT", "/items").text == "stored PUT")
    }

    @Test("a method no view of the route answers gets 405 with Allow listing the route's methods")
    func methodNotAllowed() async throws {
        let response = try await call(try self.itemsApp(), "DELETE", "/items")
        #expect(response.status == "405 Method Not Allowed")
        #expect(response.header("Allow") == "GET, HEAD, POST, PUT")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.text.hasPrefix("405 Method Not Allowed\n"))
    }

    @Test("Allow names each method once, HEAD right after GET, whichever views answer them")
    func allowOrder() async throws {
        var config = Configurator()
        config.addRoute("doc", "/doc")
        config.addView(routeName: "doc", requestMethod: "HEAD") { _ in Response("") }
        config.addView(routeName: "doc", requestMethod: "GET", "DELETE") { _ in Response("") }
        let response = try await call(try config.makeApp(), "PUT", "/doc")
        #expect(response.header("Allow") == "HEAD, GET, DELETE")
    }

    @Test("HEAD is answered by the GET view, with the GET response's Content-Length")
    func headIsGet() async throws {
        let app = try self.itemsApp()
        let head = try await call(app, "HEAD", "/items")
        #expect(head.statusCode == 200)
        #expect(head.header("Content-Length") == "4")
    }

    @Test("a view without a request method answers every method")
    func anyMethod() async throws {
        let app = try makeApp("/any") { _ in Response("x") }
        var config = Configurator()
        config.addRoute("any", "/any")
        config.addView(routeName: "any") { request in Response(request.method) }
        let anyApp = try config.makeApp()
        #expect(try await call(anyApp, "DELETE", "/any").text == "DELETE")
        #expect(try await call(anyApp, "PATCH", "/any").text == "PATCH")
        #expect(try await call(app, "PATCH", "/any").header("Allow") == "GET, HEAD")
    }

    @Test("a route without views is a 404")
    func routeWithoutViews() async throws {
        var config = Configurator()
        config.addRoute("empty", "/empty")
        #expect(try await call(try config.makeApp(), "/empty").statusCode == 404)
    }

    @Test("views with more predicates are tried first, whatever the order they were added in")
    func specificFirst() async throws {
        var config = Configurator()
        config.addRoute("report", "/report")
        config.addView(routeName: "report", requestMethod: "GET") { _ in Response("html") }
        config.addView(routeName: "report", requestMethod: "GET", predicates: [.requestParam("format", equals: "json")])
        {
            _ in try Response.json(["format": "json"])
        }
        config.addView(routeName: "report", requestMethod: "GET", predicates: [.header("Accept", equals: "text/csv")]) {
            _ in Response("a,b\n", contentType: "text/csv")
        }
        let app = try config.makeApp()
        #expect(try await call(app, "/report").text == "html")
        #expect(try await call(app, "/report?format=json").text == #"{"format":"json"}"#)
        #expect(try await call(app, "/report?format=xml").text == "html")
        #expect(try await call(app, "/report", headers: [("accept", "text/csv")]).text == "a,b\n")
    }

    @Test("predicates see form fields, since the body is read before they are checked")
    func predicateOnFormField() async throws {
        var config = Configurator()
        config.addRoute("form", "/form")
        config.addView(
            routeName: "form", requestMethod: "POST", predicates: [.requestParam("action", equals: "delete")]
        ) {
            _ in Response("deleting")
        }
        config.addView(routeName: "form", requestMethod: "POST") { _ in Response("saving") }
        let app = try config.makeApp()
        let form = "application/x-www-form-urlencoded"
        #expect(try await call(app, "POST", "/form", body: "action=delete", contentType: form).text == "deleting")
        #expect(try await call(app, "POST", "/form", body: "action=save", contentType: form).text == "saving")
    }

    @Test("a route whose views all decline the request by predicate is a 404")
    func predicateMismatch() async throws {
        var config = Configurator()
        config.addRoute("user", "/users/{id}")
        config.addView(routeName: "user", requestMethod: "GET", predicates: [.matchParam("id", equals: "admin")]) {
            _ in Response("admin")
        }
        config.addView(routeName: "user", requestMethod: "GET", predicates: [.custom { $0.GET["secret"] == "1" }]) {
            _ in Response("secret")
        }
        let app = try config.makeApp()
        #expect(try await call(app, "/users/admin").text == "admin")
        #expect(try await call(app, "/users/bob?secret=1").text == "secret")
        #expect(try await call(app, "/users/bob").statusCode == 404)
    }

    @Test("a view can be a function passed by name, and may return an HTTPException")
    func viewFunction() async throws {
        @Sendable func goAway(_ request: Request) throws -> HTTPException {
            .seeOther(location: try request.routePath("home"))
        }
        var config = Configurator()
        config.addRoute("home", "/")
        config.addRoute("old", "/old")
        config.addView(goAway, routeName: "old", requestMethod: "GET")
        let response = try await call(try config.makeApp(), "/old")
        #expect(response.status == "303 See Other")
        #expect(response.header("Location") == "/")
    }
}

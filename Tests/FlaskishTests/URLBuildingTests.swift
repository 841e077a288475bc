import Foundation
import Flaskish
import Testing

/// url(for:): building URLs from endpoint names, as Flask's url_for.
@Suite("URL building")
struct URLBuildingTests {
    private static func app() -> Flask {
        var app = Flask("test")
        app.get("/users/<int:id>", endpoint: "user") { _ in "" }
        app.get("/users/<name>", endpoint: "user") { _ in "" }
        app.get("/files/<path:path>", endpoint: "file") { _ in "" }
        app.get("/items/<uuid:id>", endpoint: "item") { _ in "" }
        app.get("/", endpoint: "index") { request in
            try request.url(for: "user", ["id": 7], anchor: "top", external: request.args["external"] != nil)
        }
        return app
    }

    @Test("variables are filled, and the first rule of the endpoint that takes the values is used")
    func fillsVariables() throws {
        let app = Self.app()
        #expect(try app.url(for: "user", ["id": 7]) == "/users/7")
        #expect(try app.url(for: "user", ["name": "ada lovelace"]) == "/users/ada%20lovelace")
        #expect(try app.url(for: "file", ["path": "a/b c.txt"]) == "/files/a/b%20c.txt")
        #expect(
            try app.url(for: "item", ["id": UUID(uuidString: "550E8400-E29B-41D4-A716-446655440000")!])
                == "/items/550e8400-e29b-41d4-a716-446655440000")
    }

    @Test("values no variable uses become the query string, sorted by key")
    func extraValuesAsQuery() throws {
        #expect(
            try Self.app().url(for: "user", ["id": 1, "tab": "posts & more", "page": 2])
                == "/users/1?page=2&tab=posts+%26+more")
    }

    @Test("an unknown endpoint, or values no rule of it takes, is a RoutingError")
    func buildErrors() {
        let app = Self.app()
        #expect(throws: RoutingError.self) { try app.url(for: "nobody") }
        #expect(throws: RoutingError.self) { try app.url(for: "item", ["id": "not-a-uuid"]) }
        #expect(throws: RoutingError.self) { try app.url(for: "user", [:]) }
    }

    @Test("from a request, URLs are mounted under SCRIPT_NAME, with an anchor, and external on demand")
    func fromRequest() async throws {
        let app = Self.app()
        #expect(try await call(app, "/", scriptName: "/app").text == "/app/users/7#top")
        #expect(try await call(app, "/?external=1", scriptName: "/app").text == "http://example.com/app/users/7#top")
    }
}

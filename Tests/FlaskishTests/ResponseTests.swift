import Flaskish
import Testing

/// What views return and the helpers that make responses.
@Suite("Responses")
struct ResponseTests {
    private struct User: Encodable, ResponseConvertible {
        let name: String
        let id: Int
        let homepage: String
    }

    @Test("a returned String is an HTML page, as in Flask")
    func stringIsHTML() async throws {
        var app = Flask("test")
        app.get("/") { _ in "<b>hi</b>" }
        let response = try await call(app, "/")
        #expect(response.status == "200 OK")
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("Content-Length") == "9")
        #expect(response.text == "<b>hi</b>")
    }

    @Test("text() is plain text in UTF-8")
    func plainText() async throws {
        var app = Flask("test")
        app.get("/") { _ in text("grüß dich\n", status: .accepted) }
        let response = try await call(app, "/")
        #expect(response.status == "202 Accepted")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.text == "grüß dich\n")
    }

    @Test("a text body reads back as bytes and as text, and bytes set replace it")
    func bodyAccessors() {
        var response = text("grüß dich\n")
        #expect(response.body == Array("grüß dich\n".utf8))
        #expect(response.text == "grüß dich\n")
        response.body = Array("hi".utf8)
        #expect(response.text == "hi")
    }

    @Test("a response that changes its headers leaves those of other responses alone")
    func headersAreValues() {
        var first = text("a")
        first.headers["X-First"] = "1"
        first.contentType = "text/csv"
        let second = text("b")
        #expect(second.headers["X-First"] == nil)
        #expect(second.contentType == "text/plain; charset=utf-8")
        #expect(first.contentType == "text/csv")
    }

    @Test("jsonify writes compact JSON with sorted keys and a final newline")
    func jsonifyMixedValues() async throws {
        var app = Flask("test")
        app.get("/") { _ in
            let id = 7
            return try jsonify(["name": "Ada", "id": id, "tags": ["a", "b"], "url": "/users/7"])
        }
        let response = try await call(app, "/")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.text == #"{"id":7,"name":"Ada","tags":["a","b"],"url":"/users/7"}"# + "\n")
    }

    @Test("an Encodable type that declares ResponseConvertible is returned as JSON")
    func encodableView() async throws {
        var app = Flask("test")
        app.get("/") { _ in User(name: "Ada", id: 1, homepage: "https://ada.example/") }
        let response = try await call(app, "/")
        #expect(response.text == #"{"homepage":"https://ada.example/","id":1,"name":"Ada"}"# + "\n")
    }

    @Test("a JSONValue written with literals is returned as JSON")
    func jsonValueView() async throws {
        var app = Flask("test")
        app.get("/") { _ -> JSONValue in ["ok": true, "items": [1, 2.5, "x", nil]] }
        #expect(try await call(app, "/").text == #"{"items":[1,2.5,"x",null],"ok":true}"# + "\n")
    }

    @Test("redirect answers 302 by default, with Location and a link to it")
    func redirects() async throws {
        var app = Flask("test")
        app.get("/old") { _ in redirect(to: "/new?a=1&b=2") }
        app.get("/moved") { _ in redirect(to: "/café", code: .movedPermanently) }
        let found = try await call(app, "/old")
        #expect(found.status == "302 Found")
        #expect(found.header("Location") == "/new?a=1&b=2")
        #expect(found.text.contains(#"<a href="/new?a=1&amp;b=2">/new?a=1&amp;b=2</a>"#))
        let moved = try await call(app, "/moved")
        #expect(moved.statusCode == 301)
        #expect(moved.header("Location") == "/caf%C3%A9")
    }

    @Test("makeResponse sets the status and headers of any view result")
    func makeResponseStatus() async throws {
        var app = Flask("test")
        app.post("/items") { _ in try makeResponse("created", 201, headers: ["Location": "/items/1"]) }
        let response = try await call(app, "POST", "/items", body: "")
        #expect(response.status == "201 Created")
        #expect(response.header("Location") == "/items/1")
        #expect(response.text == "created")
    }

    @Test("a Response can set and delete cookies and carry its own headers")
    func cookies() async throws {
        var app = Flask("test")
        app.get("/login") { _ in
            var response = Response("welcome", headers: ["X-Frame-Options": "DENY"])
            response.setCookie("session", "a b", maxAge: 60, httpOnly: true)
            response.deleteCookie("old")
            return response
        }
        let response = try await call(app, "/login")
        let cookies = response.headers.filter { $0.name == "Set-Cookie" }.map(\.value)
        #expect(
            cookies == [
                "session=a%20b; Max-Age=60; Path=/; HttpOnly",
                "old=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
            ])
        #expect(response.header("X-Frame-Options") == "DENY")
    }

    @Test("a 204 response is sent without a body or Content-Type")
    func noContent() async throws {
        var app = Flask("test")
        app.delete("/items/<int:id>") { _ in Response("ignored", status: .noContent) }
        let response = try await call(app, "DELETE", "/items/1")
        #expect(response.status == "204 No Content")
        #expect(response.header("Content-Type") == nil)
        #expect(response.body.isEmpty)
    }

    @Test("bytes are sent as they are, with the Content-Type given")
    func bytes() async throws {
        var app = Flask("test")
        app.get("/blob") { _ in Response(bytes: [0, 1, 255], contentType: "application/octet-stream") }
        let response = try await call(app, "/blob")
        #expect(response.body == [0, 1, 255])
        #expect(response.header("Content-Type") == "application/octet-stream")
    }
}

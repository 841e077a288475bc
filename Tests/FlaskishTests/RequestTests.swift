import Flaskish
import SwiftServeTesting
import Testing

/// The request object: query arguments, form, JSON, headers, cookies, body and its limit.
@Suite("Request")
struct RequestTests {
    private struct Signup: Decodable {
        let name: String
        let age: Int
    }

    @Test("args keep every value of a repeated key in order; the subscript gives the last")
    func args() async throws {
        var app = Flask("test")
        app.get("/search") { request in
            "\(request.args.all("tag")) \(request.args["tag"] ?? "") \(request.args["q"] ?? "") \(request.fullPath)"
        }
        let response = try await call(app, "/search?q=swift+server&tag=a&tag=b%26c")
        #expect(response.text == #"["a", "b&c"] b&c swift server /search?q=swift+server&tag=a&tag=b%26c"#)
    }

    @Test("an urlencoded body becomes form; values holds args then form")
    func form() async throws {
        var app = Flask("test")
        app.post("/form") { request in
            "\(request.form.all("a")) \(request.form["b"] ?? "") \(request.values.all("a"))"
        }
        let response = try await call(
            app, "POST", "/form?a=q", body: "a=1&a=2&b=x+y%21",
            contentType: "application/x-www-form-urlencoded; charset=utf-8")
        #expect(response.text == #"["1", "2"] x y! ["q", "1", "2"]"#)
    }

    @Test("a body of another type is kept in data and text, and form stays empty")
    func rawBody() async throws {
        var app = Flask("test")
        app.post("/raw") { request in
            "\(request.data.count) \(request.text) \(request.form.isEmpty) \(request.mimetype)"
        }
        let response = try await call(app, "POST", "/raw", body: "a=1", contentType: "Text/Plain; charset=utf-8")
        #expect(response.text == "3 a=1 true text/plain")
    }

    @Test("json(as:) decodes the body, for application/json and +json types")
    func json() async throws {
        var app = Flask("test")
        app.post("/signup") { request in
            let signup = try request.json(as: Signup.self)
            return "\(signup.name) \(signup.age) \(request.isJSON)"
        }
        let body = #"{"name": "Ada", "age": 36}"#
        #expect(
            try await call(app, "POST", "/signup", body: body, contentType: "application/json").text == "Ada 36 true")
        #expect(
            try await call(app, "POST", "/signup", body: body, contentType: "application/merge-patch+json").text
                == "Ada 36 true")
    }

    @Test("json(as:) answers 415 for a body that is not JSON and 400 for one it cannot decode")
    func jsonErrors() async throws {
        var app = Flask("test")
        app.post("/signup") { request in try request.json(as: Signup.self).name }
        let wrongType = try await call(app, "POST", "/signup", body: "{}", contentType: "text/plain")
        #expect(wrongType.statusCode == 415)
        let malformed = try await call(app, "POST", "/signup", body: "{", contentType: "application/json")
        #expect(malformed.statusCode == 400)
        #expect(malformed.text.contains("the body is not valid JSON"))
        let missing = try await call(app, "POST", "/signup", body: #"{"name": "Ada"}"#, contentType: "application/json")
        #expect(missing.statusCode == 400)
        #expect(missing.text.contains("missing key &#x27;age&#x27;"))
        let mistyped = try await call(
            app, "POST", "/signup", body: #"{"name": "Ada", "age": "x"}"#, contentType: "application/json")
        #expect(mistyped.text.contains("expected Int at &#x27;age&#x27;"))
    }

    @Test("a JSON body of unknown shape reads as JSONValue")
    func jsonValue() async throws {
        var app = Flask("test")
        app.post("/any") { request in
            let value = try request.json(as: JSONValue.self)
            return "\(value["items"]?[1]?.intValue ?? 0) \(value["name"]?.stringValue ?? "") \(value["ok"] == true)"
        }
        let response = try await call(
            app, "POST", "/any", body: #"{"items": [1, 2], "name": "x", "ok": true}"#, contentType: "application/json")
        #expect(response.text == "2 x true")
    }

    @Test("headers are looked up without regard to case; cookies are decoded by name")
    func headersAndCookies() async throws {
        var app = Flask("test")
        app.get("/who") { request in
            "\(request.headers["x-token"] ?? "") \(request.cookies["session"] ?? "") \(request.cookies["theme"] ?? "")"
        }
        let response = try await call(
            app, "/who", headers: [("X-Token", "abc"), ("Cookie", "session=s%201; theme=\"dark\"")])
        #expect(response.text == "abc s 1 dark")
    }

    @Test("the request knows its method, path, URL and where the application is mounted")
    func urlParts() async throws {
        var app = Flask("test")
        app.get("/where") { request in
            "\(request.method) \(request.path) \(request.scriptRoot) \(request.url) \(request.host) \(request.scheme)"
        }
        let response = try await call(app, "/where?x=1", scriptName: "/app")
        #expect(response.text == "GET /where /app http://example.com/app/where?x=1 example.com http")
    }

    @Test("a body declared longer than the limit is answered 413 before the view runs")
    func declaredBodyTooLarge() async throws {
        let calls = Locked(0)
        var app = Flask("test", config: Config(maxContentLength: 8))
        app.post("/upload") { request in
            calls.withLock { $0 += 1 }
            return "\(request.data.count)"
        }
        #expect(try await call(app, "POST", "/upload", body: "12345678").text == "8")
        let response = try await call(app, "POST", "/upload", body: "123456789")
        #expect(response.statusCode == 413)
        #expect(response.text.contains("The data value transmitted exceeds the capacity limit."))
        #expect(calls.value == 1)
    }

    @Test("a body without a declared length is read only up to the limit")
    func streamedBodyTooLarge() async throws {
        var app = Flask("test", config: Config(maxContentLength: 4))
        app.post("/upload") { request in "\(request.data.count)" }
        let environ = Environ(
            requestMethod: "POST", pathInfo: "/upload", input: RequestInput(bytes: Array(repeating: 0x61, count: 1000)))
        #expect(try await callApplication(app.application, environ).statusCode == 413)
    }

    @Test("the default limit is 1 MiB, and nil lifts it")
    func defaultLimit() async throws {
        #expect(Config().maxContentLength == 1_048_576)
        let big = String(repeating: "x", count: 1_048_577)
        var limited = Flask("test")
        limited.post("/upload") { request in "\(request.data.count)" }
        #expect(try await call(limited, "POST", "/upload", body: big).statusCode == 413)
        var unlimited = Flask("test", config: Config(maxContentLength: nil))
        unlimited.post("/upload") { request in "\(request.data.count)" }
        #expect(try await call(unlimited, "POST", "/upload", body: big).text == "1048577")
    }
}

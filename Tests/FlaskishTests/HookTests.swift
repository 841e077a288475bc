import Flaskish
import SwiftServeTesting
import Testing

/// before_request and after_request hooks.
@Suite("Request hooks")
struct HookTests {
    @Test("before-request hooks run in order before the view, and the first response stops the rest")
    func beforeRequest() async throws {
        let calls = Locked<[String]>([])
        var app = Flask("test")
        app.beforeRequest { request in
            calls.withLock { $0.append("first") }
            return request.args["key"] == "secret" ? nil : text("denied\n", status: .unauthorized)
        }
        app.beforeRequest { _ in
            calls.withLock { $0.append("second") }
            return nil
        }
        app.get("/private") { _ in
            calls.withLock { $0.append("view") }
            return "private"
        }
        #expect(try await call(app, "/private?key=secret").text == "private")
        #expect(calls.value == ["first", "second", "view"])
        let denied = try await call(app, "/private")
        #expect(denied.statusCode == 401)
        #expect(denied.text == "denied\n")
        #expect(calls.value == ["first", "second", "view", "first"])
    }

    @Test("a before-request hook may abort, and the error handlers answer")
    func beforeRequestAborts() async throws {
        var app = Flask("test")
        app.beforeRequest { request in
            if request.headers["Authorization"] == nil { try abort(401) }
            return nil
        }
        app.errorHandler(401) { _, _ in try makeResponse("log in first", 401) }
        app.get("/") { _ in "home" }
        #expect(try await call(app, "/").text == "log in first")
        #expect(try await call(app, "/", headers: [("Authorization", "Bearer x")]).text == "home")
    }

    @Test("after-request hooks run in reverse order on every response, error pages included")
    func afterRequest() async throws {
        var app = Flask("test")
        app.afterRequest { _, response in response.headers["X-Order"] = (response.headers["X-Order"] ?? "") + "first" }
        app.afterRequest { _, response in response.headers["X-Order"] = (response.headers["X-Order"] ?? "") + "second,"
        }
        app.get("/") { _ in "home" }
        #expect(try await call(app, "/").header("X-Order") == "second,first")
        let missing = try await call(app, "/missing")
        #expect(missing.statusCode == 404)
        #expect(missing.header("X-Order") == "second,first")
    }

    @Test("an after-request hook that throws gives the generic 500, logged")
    func failingAfterRequest() async throws {
        struct HookFailure: Error {}
        var app = Flask("test")
        app.afterRequest { _, _ in throw HookFailure() }
        app.get("/") { _ in "home" }
        let errors = Locked<[String]>([])
        #expect(try await call(app, "/", errors: errors).statusCode == 500)
        #expect(errors.value.first?.contains("in an after-request hook") == true)
    }
}

import SwiftServeTesting
import Testing

@testable import Flaskish

/// `Execution.inline`: the requests answered at once, inside the server's call and without a task,
/// and that they are answered as the asynchronous path answers them.
@Suite("Inline execution")
struct ExecutionTests {
    private struct Failure: Error {}

    /// Thrown by the test's application when the immediate part hands the request on.
    private struct HandedOn: Error {}

    /// The application used below; `calls` records the paths the before-request hook saw.
    private static func app(calls: Locked<[String]> = Locked([])) -> Flask {
        var app = Flask("test")
        app.get("/hello") { _ in text("hello\n") }
        app.get("/users/<int:id>") { request in "user \(try request.viewArg("id", as: Int.self))" }
        app.post("/items") { request in "\(request.data.count) bytes" }
        app.get("/projects/") { _ in "projects" }
        app.get("/forbidden") { _ in try abort(.forbidden) }
        app.get("/boom") { _ -> String in throw Failure() }
        app.get("/later") { _ in
            await Task.yield()
            return "later"
        }
        app.errorHandler(404) { request, _ in try makeResponse("no \(request.path)", 404) }
        app.beforeRequest { request in
            calls.withLock { $0.append(request.path) }
            return nil
        }
        app.afterRequest { _, response in response.headers["X-After"] = "yes" }
        return app
    }

    /// What the immediate part answers, through the validator; nil when it hands the request on.
    private static func callAtOnce(_ app: Flask, _ method: String, _ target: String, body: String? = nil)
        async throws -> CapturedResponse?
    {
        let immediate = app.immediateApplication
        let application: AsyncApplication = { environ, startResponse in
            guard let body = try immediate(environ, startResponse) else { throw HandedOn() }
            return body
        }
        do {
            return try await callApplication(Validator.wrap(application), testEnviron(method, target, body: body))
        } catch is HandedOn {
            return nil
        }
    }

    @Test(
        "a request without a body to a synchronous view is answered at once, as the asynchronous path answers it",
        arguments: [
            ("GET", "/hello"), ("HEAD", "/hello"), ("GET", "/users/7"), ("GET", "/nope"), ("POST", "/items"),
            ("GET", "/items"), ("OPTIONS", "/items"), ("GET", "/projects?page=2"), ("GET", "/forbidden"),
            ("GET", "/boom"),
        ])
    func answeredAtOnce(method: String, target: String) async throws {
        let app = Self.app()
        #expect(app.hooksAndHandlersAreSynchronous)
        let atOnce = try #require(try await Self.callAtOnce(app, method, target))
        let later = try await call(app, method, target)
        #expect(atOnce.status == later.status)
        #expect(atOnce.headers.map { [$0.name, $0.value] } == later.headers.map { [$0.name, $0.value] })
        #expect(atOnce.body == later.body)
        #expect(atOnce.header("X-After") == "yes")
    }

    @Test("a request with a body, or to an asynchronous view, is handed on before the application runs")
    func handedOn() async throws {
        let calls = Locked<[String]>([])
        let app = Self.app(calls: calls)
        #expect(try await Self.callAtOnce(app, "POST", "/items", body: "abc") == nil)
        #expect(try await Self.callAtOnce(app, "GET", "/later") == nil)
        #expect(calls.value.isEmpty)
        #expect(try await call(app, "POST", "/items", body: "abc").text == "3 bytes")
        #expect(try await call(app, "GET", "/later").text == "later")
    }

    @Test("a view without await is synchronous, and one that awaits is asynchronous")
    func viewKinds() {
        let rules = Self.app().urlMap.rules
        #expect(rules.first { $0.pattern == "/hello" }?.view.isSynchronous == true)
        #expect(rules.first { $0.pattern == "/later" }?.view.isSynchronous == false)
    }

    @Test("an asynchronous hook or error handler keeps every request off the immediate path")
    func asynchronousHooks() {
        var withHook = Self.app()
        withHook.beforeRequest { _ in
            await Task.yield()
            return nil
        }
        #expect(!withHook.hooksAndHandlersAreSynchronous)
        var withAfterHook = Self.app()
        withAfterHook.afterRequest { _, _ in await Task.yield() }
        #expect(!withAfterHook.hooksAndHandlersAreSynchronous)
        var withHandler = Self.app()
        withHandler.errorHandler(Failure.self) { _, _ in
            await Task.yield()
            return "handled"
        }
        #expect(!withHandler.hooksAndHandlersAreSynchronous)
    }
}

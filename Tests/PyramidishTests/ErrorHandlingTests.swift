import Pyramidish
import SSGI
import Testing

@Suite("Errors, exception views and tweens")
struct ErrorHandlingTests {
    struct OutOfStock: Error {
        var item: String
    }

    struct Broken: Error, CustomStringConvertible {
        var description: String { "database password is hunter2" }
    }

    @Test("a thrown HTTPException is answered with its status, headers and a plain-text explanation")
    func thrownException() async throws {
        let app = try makeApp("/secret") { _ in
            throw HTTPException.unauthorized("Log in first.", challenge: "Basic realm=\"x\"")
        }
        let response = try await call(app, "/secret")
        #expect(response.status == "401 Unauthorized")
        #expect(response.header("WWW-Authenticate") == "Basic realm=\"x\"")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(
            response.text
                == "401 Unauthorized\n\nThis server could not verify that you are authorized to access the resource you requested.\n\nLog in first.\n"
        )
    }

    @Test("an unknown path is a plain-text 404")
    func notFound() async throws {
        let response = try await call(try makeApp("/a") { _ in Response("") }, "/nowhere")
        #expect(response.status == "404 Not Found")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.text == "404 Not Found\n\nThe resource could not be found.\n")
    }

    @Test("HTTPException.found, thrown or returned, redirects with Location")
    func redirect() async throws {
        var config = Configurator()
        config.addRoute("thrown", "/thrown")
        config.addRoute("returned", "/returned")
        config.addView(routeName: "thrown") { _ -> Response in throw HTTPException.found(location: "/elsewhere") }
        config.addView(routeName: "returned") { _ in HTTPException.found(location: "/elsewhere") }
        let app = try config.makeApp()
        for path in ["/thrown", "/returned"] {
            let response = try await call(app, path)
            #expect(response.status == "302 Found")
            #expect(response.header("Location") == "/elsewhere")
            #expect(response.text == "302 Found\n\nThe resource was found at /elsewhere.\n")
        }
    }

    @Test("an error a view throws is a 500; its detail goes to ssgi.errors, not to the client")
    func internalError() async throws {
        let app = try makeApp("/boom") { _ in throw Broken() }
        let errors = ErrorLog()
        let response = try await call(app, "/boom", errors: errors)
        #expect(response.status == "500 Internal Server Error")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(!response.text.contains("hunter2"))
        #expect(errors.all.count == 1)
        #expect(errors.all.first?.contains("GET /boom") == true)
        #expect(errors.all.first?.contains("hunter2") == true)
    }

    @Test("the not-found view answers unmatched paths and 404s thrown by views")
    func notFoundView() async throws {
        var config = Configurator()
        config.addRoute("user", "/users/{id}")
        config.addView(routeName: "user") { _ -> Response in throw HTTPException.notFound() }
        config.addNotFoundView { request in Response("no \(request.pathInfo) here", status: .notFound) }
        let app = try config.makeApp()
        #expect(try await call(app, "/missing").text == "no /missing here")
        let thrown = try await call(app, "/users/9")
        #expect(thrown.statusCode == 404)
        #expect(thrown.text == "no /users/9 here")
    }

    @Test("an exception view answers the errors of its type, with the request that failed")
    func exceptionView() async throws {
        var config = Configurator()
        config.addRoute("buy", "/buy/{item}")
        config.addView(routeName: "buy") { request -> Response in
            if request.matchdict["item"] == "tea" { throw OutOfStock(item: "tea") }
            throw Broken()
        }
        config.addExceptionView(for: OutOfStock.self) { request, error in
            Response("\(error.item) is sold out (\(request.matchedRoute?.name ?? "?"))", status: .conflict)
        }
        let app = try config.makeApp()
        let soldOut = try await call(app, "/buy/tea")
        #expect(soldOut.status == "409 Conflict")
        #expect(soldOut.text == "tea is sold out (buy)")
        #expect(try await call(app, "/buy/coffee").statusCode == 500)
    }

    @Test("an exception view for any error leaves HTTPExceptions alone; one for HTTPException takes them all")
    func httpExceptionViews() async throws {
        var config = Configurator()
        config.addRoute("fail", "/fail")
        config.addRoute("forbidden", "/forbidden")
        config.addView(routeName: "fail") { _ -> Response in throw Broken() }
        config.addView(routeName: "forbidden", requestMethod: "GET") { _ -> Response in throw HTTPException.forbidden()
        }
        config.addExceptionView(for: (any Error).self) { _, _ in Response("sorry", status: .serviceUnavailable) }
        let app = try config.makeApp()
        #expect(try await call(app, "/fail").text == "sorry")
        #expect(try await call(app, "/forbidden").statusCode == 403)
        #expect(try await call(app, "/nothing").statusCode == 404)

        config.addExceptionView(for: HTTPException.self) { _, exception in
            try Response.json(["error": exception.status.code], status: exception.status)
        }
        let jsonApp = try config.makeApp()
        let forbidden = try await call(jsonApp, "/forbidden")
        #expect(forbidden.statusCode == 403)
        #expect(forbidden.text == #"{"error":403}"#)
        let notAllowed = try await call(jsonApp, "POST", "/forbidden")
        #expect(notAllowed.text == #"{"error":405}"#)
        #expect(notAllowed.statusCode == 405)
    }

    @Test("an exception view that fails itself gives a logged 500")
    func failingExceptionView() async throws {
        var config = Configurator()
        config.addRoute("buy", "/buy")
        config.addView(routeName: "buy") { _ -> Response in throw OutOfStock(item: "x") }
        config.addExceptionView(for: OutOfStock.self) { _, _ in throw Broken() }
        let errors = ErrorLog()
        #expect(try await call(try config.makeApp(), "/buy", errors: errors).statusCode == 500)
        #expect(errors.all.count == 1)
    }

    @Test("tweens run around every request, the first added outermost, and see error responses")
    func tweens() async throws {
        var config = Configurator()
        config.addRoute("hello", "/hello")
        config.addView(routeName: "hello") { request in Response("hello \(request.headers["X-Trace"] ?? "")") }
        config.addTween { request, next in
            var response = try await next(request)
            response.headers.add("X-Order", "outer")
            return response
        }
        config.addTween { request, next in
            var response = try await next(request)
            response.headers.add("X-Order", "inner")
            response.headers["X-Status"] = String(response.statusCode)
            return response
        }
        let app = try config.makeApp()
        let hello = try await call(app, "/hello")
        #expect(hello.headers.filter { $0.name == "X-Order" }.map(\.value) == ["inner", "outer"])
        let missing = try await call(app, "/missing")
        #expect(missing.header("X-Status") == "404")
    }

    @Test("a tween may answer by itself, and an error it throws is a 500")
    func tweenShortCircuit() async throws {
        var config = Configurator()
        config.addRoute("hello", "/hello")
        config.addView(routeName: "hello") { _ in Response("hello") }
        config.addTween { request, next in
            if request.GET["token"] == nil { throw HTTPException.forbidden() }
            if request.GET["token"] == "bad" { throw Broken() }
            return try await next(request)
        }
        let app = try config.makeApp()
        #expect(try await call(app, "/hello").statusCode == 403)
        #expect(try await call(app, "/hello?token=bad").statusCode == 500)
        #expect(try await call(app, "/hello?token=ok").text == "hello")
    }
}

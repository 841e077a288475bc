import Flaskish
import SwiftServeTesting
import Testing

/// abort(), HTTP exceptions, error handlers and what happens to errors nobody handles.
@Suite("Error handling")
struct ErrorHandlingTests {
    private struct OutOfStock: Error {
        let item: String
    }

    private struct Secret: Error, CustomStringConvertible {
        var description: String { "database password is hunter2" }
    }

    @Test("abort(403) answers Werkzeug's page for the status; a message replaces its text, escaped")
    func abortStatus() async throws {
        var app = Flask("test")
        app.get("/forbidden") { _ in try abort(403) }
        app.get("/gone") { _ in try abort(.gone, "<old> page") }
        let forbidden = try await call(app, "/forbidden")
        #expect(forbidden.status == "403 Forbidden")
        #expect(forbidden.text.contains("<h1>Forbidden</h1>"))
        let gone = try await call(app, "/gone")
        #expect(gone.statusCode == 410)
        #expect(gone.text.contains("<p>&lt;old&gt; page</p>"))
    }

    @Test("abort(response) answers with that response, bypassing error handlers")
    func abortResponse() async throws {
        var app = Flask("test")
        app.get("/teapot") { _ in try abort(text("short and stout\n", status: 418)) }
        app.errorHandler(418) { _, _ in "handled" }
        let response = try await call(app, "/teapot")
        #expect(response.status == "418 Unknown")
        #expect(response.text == "short and stout\n")
    }

    @Test("a status handler answers its errors, routing's 404 and 405 included, with the status it returns")
    func statusHandler() async throws {
        var app = Flask("test")
        app.post("/items") { _ in "created" }
        app.get("/missing") { _ in try abort(404) }
        app.errorHandler(404) { request, error in try makeResponse("no \(request.path) (\(error.code))", error.status) }
        app.errorHandler(405) { _, error in "method \(error.headers["Allow"] ?? "")" }
        let notFound = try await call(app, "/nowhere")
        #expect(notFound.statusCode == 404)
        #expect(notFound.text == "no /nowhere (404)")
        #expect(try await call(app, "/missing").text == "no /missing (404)")
        let wrongMethod = try await call(app, "/items")
        #expect(wrongMethod.statusCode == 200)
        #expect(wrongMethod.text == "method OPTIONS, POST")
    }

    @Test("a handler for an error type answers the errors of that type")
    func typeHandler() async throws {
        var app = Flask("test")
        app.get("/buy/<item>") { request -> String in
            throw OutOfStock(item: try request.viewArg("item"))
        }
        app.errorHandler(OutOfStock.self) { _, error in try makeResponse("no more \(error.item)", 409) }
        let response = try await call(app, "/buy/tea")
        #expect(response.status == "409 Conflict")
        #expect(response.text == "no more tea")
    }

    @Test("a handler for HTTPException takes every HTTP error without a status handler")
    func httpExceptionHandler() async throws {
        var app = Flask("test")
        app.get("/forbidden") { _ in try abort(403) }
        app.errorHandler(404) { _, _ in try makeResponse("404 handler", 404) }
        app.errorHandler(HTTPException.self) { _, error in try jsonify(["code": error.code], status: error.status) }
        #expect(try await call(app, "/forbidden").text == #"{"code":403}"# + "\n")
        #expect(try await call(app, "/nope").text == "404 handler")
    }

    @Test("an error no handler takes is a generic 500; its details go to ssgi.errors only")
    func unhandledError() async throws {
        var app = Flask("test")
        app.get("/boom") { _ -> String in throw Secret() }
        let errors = Locked<[String]>([])
        let response = try await call(app, "/boom", errors: errors)
        #expect(response.status == "500 Internal Server Error")
        #expect(response.text.contains("The server encountered an internal error"))
        #expect(!response.text.contains("hunter2"))
        #expect(errors.value.count == 1)
        #expect(errors.value[0].contains("exception on /boom [GET]"))
        #expect(errors.value[0].contains("hunter2"))
    }

    @Test("a 500 handler receives the unhandled error as originalError")
    func internalServerErrorHandler() async throws {
        var app = Flask("test")
        app.get("/boom") { _ -> String in throw OutOfStock(item: "cake") }
        app.errorHandler(500) { _, error in
            try makeResponse("sorry: \((error.originalError as? OutOfStock)?.item ?? "?")", 500)
        }
        let response = try await call(app, "/boom")
        #expect(response.statusCode == 500)
        #expect(response.text == "sorry: cake")
    }

    @Test("an error handler that throws gives the generic 500, logged")
    func failingHandler() async throws {
        var app = Flask("test")
        app.errorHandler(404) { _, _ -> String in throw Secret() }
        let errors = Locked<[String]>([])
        let response = try await call(app, "/nope", errors: errors)
        #expect(response.statusCode == 500)
        #expect(!response.text.contains("hunter2"))
        #expect(errors.value.count == 1)
        #expect(errors.value[0].contains("in an error handler"))
    }
}

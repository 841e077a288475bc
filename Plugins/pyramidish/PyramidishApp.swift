import Pyramidish
import SSGI

/// The Pyramidish example application, served as `libpyramidish.so:app`.
///
/// Routes (a HEAD request is answered as GET, without the body):
/// - `GET /hello` → 200, `text/plain; charset=utf-8`, `Hello world from Pyramidish!\n`.
/// - `GET /users/{id}` → 200, `application/json`, `{"id":"<id>","url":"<routeURL of the user>"}`,
///   such as `{"id":"3","url":"http://localhost:8000/users/3"}`.
/// - `GET /squares/{n:\d+}` → 200, `application/json`, `{"n":<n>,"square":<n*n>}`; a path that is
///   not digits, such as `/squares/abc`, is a 404; a number whose square overflows `Int` is a 400.
/// - `POST /echo-form` with an `application/x-www-form-urlencoded` body → 200, `application/json`,
///   the fields as one JSON object with sorted keys (the last value of a repeated field):
///   `a=1&b=two+words` gives `{"a":"1","b":"two words"}`.
/// - `GET /go-home` → 302 with `Location: /hello` (SCRIPT_NAME first when mounted), `text/plain`.
/// - Any other path → 404, `text/plain; charset=utf-8`.
/// - A known path with another method → 405, `text/plain; charset=utf-8`, with `Allow`:
///   `POST /hello` gives `Allow: GET, HEAD`; `GET /echo-form` gives `Allow: POST`.
///
/// Exported as an asynchronous application, run on Swift concurrency: Pyramidish views are `async`
/// and read the request body with the non-blocking `environ.input`, so no thread is held while a
/// client uploads. A configuration error stops the server at startup with its message.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    do {
        return exportApplication(name: "pyramidish", try makeApplication())
    } catch {
        let failing: AsyncApplication = { _, _ in throw error }
        return exportApplication(name: "pyramidish", startup: { _ in throw error }, failing)
    }
}

/// Configures the example's routes and views.
func makeApplication() throws -> AsyncApplication {
    var config = Configurator()
    config.addRoute("hello", "/hello")
    config.addRoute("user", "/users/{id}")
    config.addRoute("square", "/squares/{n:\\d+}")
    config.addRoute("echo_form", "/echo-form")
    config.addRoute("go_home", "/go-home")

    config.addView(routeName: "hello", requestMethod: "GET") { _ in
        Response("Hello world from Pyramidish!\n", contentType: "text/plain")
    }
    config.addView(routeName: "user", requestMethod: "GET") { request in
        let id = request.matchdict["id"] ?? ""
        return try Response.json(["id": id, "url": try request.routeURL("user", ["id": id])])
    }
    config.addView(routeName: "square", requestMethod: "GET") { request in
        let n = try request.matched("n", as: Int.self)
        let (square, overflow) = n.multipliedReportingOverflow(by: n)
        guard !overflow else { throw HTTPException.badRequest("\(n) is too large to square.") }
        return try Response.json(["n": n, "square": square])
    }
    config.addView(routeName: "echo_form", requestMethod: "POST") { request in
        try Response.json(request.POST.dictionary)
    }
    config.addView(routeName: "go_home", requestMethod: "GET") { request in
        HTTPException.found(location: try request.routePath("hello"))
    }
    return try config.makeApp()
}

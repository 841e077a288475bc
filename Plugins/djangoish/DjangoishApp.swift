import Djangoish

/// The Djangoish example project. DEBUG is off, as in production: unknown paths get the generic
/// 404 page and errors the generic 500 page; ALLOWED_HOSTS is `localhost` and `127.0.0.1`.
///
/// - `GET /hello`: `Hello world from Djangoish!` as text/plain (GET and HEAD only: `POST /hello` is
///   405 with `Allow: GET, HEAD`).
/// - `GET /users/<int:id>/`: the user as JSON, `{"id":7,"name":"user7","url":"/users/7/"}`; id 0 is a
///   404 thrown by the view. `/users/7` (no slash) is redirected there with 301 by APPEND_SLASH.
/// - `GET /api/status/`: a JsonResponse from an included, namespaced pattern (`api:status`) naming
///   the framework and the reversed URL of user 1.
/// - `POST /greet/`: reads the form field `name`, answers `Hello, <name>!` (405 for other methods;
///   a body over 1 KiB, this project's DATA_UPLOAD_MAX_MEMORY_SIZE, is 413).
/// - `GET /go-home/`: a 302 redirect to `/hello`, reversed by name.
/// - Anything else: 404.
///
/// Every response carries `X-Djangoish: yes`, added by the project's own middleware, and the
/// security headers of `SecurityMiddleware`.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    // Async, on Swift concurrency: the project reads request bodies with the non-blocking async
    // reads of ssgi.input, and views may await other services, without holding an I/O or pool thread.
    exportApplication(name: "djangoish", exampleProject.application)
}

/// The example's settings, URL patterns and middleware.
let exampleProject = Project(
    settings: Settings(debug: false, allowedHosts: ["localhost", "127.0.0.1"], dataUploadMaxMemorySize: 1024),
    urlpatterns: [
        path("hello", requireSafe(hello), name: "hello"),
        path("users/<int:id>/", requireSafe(userDetail), name: "user-detail"),
        path("api/", include([path("status/", status, name: "status")], namespace: "api")),
        path("greet/", requirePOST(greet), name: "greet"),
        path("go-home/", goHome),
    ],
    middleware: [djangoishHeader, .security, .common])

/// Adds `X-Djangoish: yes` to every response, error pages and redirects included: it is listed first,
/// outermost, so it sees what every other layer answers.
let djangoishHeader = Middleware { getResponse in
    { request in
        var response = try await getResponse(request)
        response["X-Djangoish"] = "yes"
        return response
    }
}

@Sendable func hello(_ request: HttpRequest) -> HttpResponse {
    HttpResponse("Hello world from Djangoish!\n", contentType: "text/plain; charset=utf-8")
}

/// A user as the JSON views answer it.
struct User: Encodable {
    var id: Int
    var name: String
    var url: String
}

@Sendable func userDetail(_ request: HttpRequest) throws -> JsonResponse {
    guard let id = request.kwarg("id", as: Int.self), id > 0 else { throw Http404("No user with that id") }
    return try JsonResponse(User(id: id, name: "user\(id)", url: try reverse("user-detail", kwargs: ["id": id])))
}

@Sendable func status(_ request: HttpRequest) throws -> JsonResponse {
    try JsonResponse(["framework": "Djangoish", "firstUser": try reverse("user-detail", kwargs: ["id": 1])])
}

@Sendable func greet(_ request: HttpRequest) throws -> HttpResponse {
    let name = try request.POST["name"] ?? "stranger"
    return HttpResponse("Hello, \(name)!\n", contentType: "text/plain; charset=utf-8")
}

@Sendable func goHome(_ request: HttpRequest) throws -> HttpResponseRedirect {
    try HttpResponseRedirect(try reverse("hello"))
}

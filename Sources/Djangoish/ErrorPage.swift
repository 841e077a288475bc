/// The response for an error thrown by a view or middleware, Django's `response_for_exception`.
///
/// With `DEBUG` on: a 404 lists the URL patterns tried, and a 500 names the error and its
/// description. With `DEBUG` off: Django's short generic pages, naming nothing internal. A 500
/// (and a disallowed Host) is always written to `environ.errors`.
enum ErrorPage {
    static func response(for error: any Error, request: HttpRequest, settings: Settings) -> HttpResponse {
        let debug = settings.debug
        switch error {
        case let error as Resolver404:
            return debug ? self.technical404(request, error) : self.notFound
        case let error as Http404:
            return debug ? self.debugPage(.notFound, request, "Page not found", error.message) : self.notFound
        case let error as PermissionDenied:
            return debug
                ? self.debugPage(.forbidden, request, "Permission denied", error.message)
                : self.simple(.forbidden, "403 Forbidden")
        case let error as BadRequest:
            return debug ? self.debugPage(.badRequest, request, "Bad Request", error.message) : self.badRequest
        case let error as DisallowedRedirect:
            return debug
                ? self.debugPage(.badRequest, request, "DisallowedRedirect", error.description) : self.badRequest
        case let error as DisallowedHost:
            request.environ.errors.write("djangoish: \(error.message)")
            return debug ? self.debugPage(.badRequest, request, "DisallowedHost", error.message) : self.badRequest
        case let error as RequestDataTooBig:
            return debug
                ? self.debugPage(.contentTooLarge, request, "RequestDataTooBig", error.description)
                : self.simple(.contentTooLarge, "Content Too Large (413)")
        default:
            let type = String(reflecting: Swift.type(of: error))
            request.environ.errors.write(
                "djangoish: Internal Server Error: \(request.method) \(request.getFullPath())\n\(type): \(error)")
            return debug
                ? self.technical500(request, type: type, error)
                : self.simple(.internalServerError, "Server Error (500)")
        }
    }

    private static let notFound = page(
        .notFound, title: "Not Found", "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>")

    private static let badRequest = simple(.badRequest, "Bad Request (400)")

    private static func simple(_ status: HTTPStatus, _ heading: String) -> HttpResponse {
        page(status, title: heading, "<h1>\(heading)</h1>")
    }

    private static func technical404(_ request: HttpRequest, _ error: Resolver404) -> HttpResponse {
        let patterns = error.tried.map { "<li>" + HTMLEscaping.escape($0.joined(separator: " ")) + "</li>" }.joined()
        let current =
            error.path.isEmpty
            ? "<p>The empty path didn’t match any of these.</p>"
            : "<p>The current path, <code>\(HTMLEscaping.escape(error.path))</code>, didn’t match any of these.</p>"
        return page(
            .notFound, title: "Page not found at \(HTMLEscaping.escape(request.path))",
            "<h1>Page not found <span>(404)</span></h1>" + requestTable(request)
                + "<p>Using the URLconf of this project, Djangoish tried these URL patterns, in this order:</p>"
                + "<ol>\(patterns)</ol>" + current + debugNote("404"))
    }

    private static func technical500(_ request: HttpRequest, type: String, _ error: any Error) -> HttpResponse {
        page(
            .internalServerError, title: "\(HTMLEscaping.escape(type)) at \(HTMLEscaping.escape(request.path))",
            "<h1>\(HTMLEscaping.escape(type)) at \(HTMLEscaping.escape(request.path))</h1>"
                + "<pre class=\"exception_value\">\(HTMLEscaping.escape(String(describing: error)))</pre>"
                + requestTable(request) + debugNote("500"))
    }

    private static func debugPage(_ status: HTTPStatus, _ request: HttpRequest, _ heading: String, _ message: String)
        -> HttpResponse
    {
        page(
            status, title: "\(heading) at \(HTMLEscaping.escape(request.path))",
            "<h1>\(HTMLEscaping.escape(heading)) <span>(\(status.code))</span></h1>"
                + "<pre class=\"exception_value\">\(HTMLEscaping.escape(message))</pre>" + requestTable(request)
                + debugNote(String(status.code)))
    }

    private static func requestTable(_ request: HttpRequest) -> String {
        let url = (try? request.buildAbsoluteURI()) ?? request.getFullPath()
        return "<table><tr><th>Request Method:</th><td>\(HTMLEscaping.escape(request.method))</td></tr>"
            + "<tr><th>Request URL:</th><td>\(HTMLEscaping.escape(url))</td></tr></table>"
    }

    private static func debugNote(_ code: String) -> String {
        "<p>You’re seeing this error because you have <code>DEBUG = True</code> in your settings. Change that to "
            + "<code>False</code>, and Djangoish will display a standard \(code) page.</p>"
    }

    private static func page(_ status: HTTPStatus, title: String, _ body: String) -> HttpResponse {
        HttpResponse(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(title)</title></head>"
                + "<body>\(body)</body></html>\n",
            status: status, contentType: "text/html; charset=utf-8")
    }
}

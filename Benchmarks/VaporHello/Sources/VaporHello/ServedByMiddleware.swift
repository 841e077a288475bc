import Vapor

/// Adds `X-Middleware: vapor` to every response, as the adapter's example application does.
struct ServedByMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Middleware", value: "vapor")
        return response
    }
}

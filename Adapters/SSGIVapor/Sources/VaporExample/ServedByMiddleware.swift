import Vapor

/// Adds `X-Middleware: vapor` to every response, errors included.
struct ServedByMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Middleware", value: "vapor")
        return response
    }
}

import HTTPTypes
import Hummingbird

/// Adds `X-Served-By: Hummingbird` to every response, error responses included.
struct ServedByMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.servedBy] = "Hummingbird"
        return response
    }
}

extension HTTPField.Name {
    /// `X-Served-By`.
    static var servedBy: Self { Self("X-Served-By")! }
}

/// The next handler in the middleware chain, Django's `get_response`: a middleware calls it with
/// the request and receives the response of everything inside it (other middleware, then the view).
public typealias GetResponse = @Sendable (HttpRequest) async throws -> HttpResponse

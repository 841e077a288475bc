/// A view: turns a request into a response. It may throw an `HTTPException` to answer with an
/// error or a redirect; any other error becomes a 500 unless an exception view handles it.
public typealias View = @Sendable (Request) async throws -> Response

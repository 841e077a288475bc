/// Code that runs around every request, as Pyramid's tweens do: it receives the request and the
/// next handler, and may change the request, the response, or answer by itself.
///
/// Tweens run outside the exception views, so they see the response an error was turned into.
public typealias Tween = @Sendable (_ request: Request, _ next: Handler) async throws -> Response

/// What a tween calls to pass the request on: the next tween, or the router itself.
public typealias Handler = @Sendable (Request) async throws -> Response

/// A view for errors of one type, registered with `Configurator.addExceptionView(for:_:)`.
///
/// An `HTTPException` reaches only the views registered for `HTTPException` itself, as in Pyramid,
/// where the view for `HTTPException` is more specific than one for any error.
struct ExceptionView: Sendable {
    /// Whether the view was registered for `HTTPException`.
    let handlesHTTPExceptions: Bool
    /// Answers the request when the error is of the view's type; nil otherwise.
    let handle: @Sendable (Request, any Error) async throws -> Response?

    init<Failure: Error>(
        for type: Failure.Type, _ view: @escaping @Sendable (Request, Failure) async throws -> Response
    ) {
        self.handlesHTTPExceptions = Failure.self == HTTPException.self
        self.handle = { request, error in
            guard let error = error as? Failure else { return nil }
            return try await view(request, error)
        }
    }
}

/// The error handlers of an application: by status for HTTP errors, and by Swift error type.
struct ErrorHandlers: Sendable {
    /// A handler registered for an error type: nil when the error is not of its type.
    typealias TypeHandler = @Sendable (Request, any Error) async throws -> Response?

    private var byStatus: [Int: @Sendable (Request, HTTPException) async throws -> Response] = [:]
    private var byType: [TypeHandler] = []

    mutating func register(
        _ code: Int, _ handler: @escaping @Sendable (Request, HTTPException) async throws -> Response
    ) {
        self.byStatus[code] = handler
    }

    mutating func register(_ handler: @escaping TypeHandler) {
        self.byType.append(handler)
    }

    /// The response of the handler for `error`, or nil when none takes it: for an HTTP error the
    /// handler of its status first, then the type handlers in the order they were registered.
    func handle(_ error: any Error, _ request: Request) async throws -> Response? {
        if let exception = error as? HTTPException, let handler = self.byStatus[exception.code] {
            return try await handler(request, exception)
        }
        for handler in self.byType {
            if let response = try await handler(request, error) { return response }
        }
        return nil
    }
}

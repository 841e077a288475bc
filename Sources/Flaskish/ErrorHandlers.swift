/// The error handlers of an application: by status for HTTP errors, and by Swift error type.
struct ErrorHandlers: Sendable {
    /// A handler as the application keeps it: nil when the error is not one it takes.
    typealias Handler = AppFunction<(Request, any Error), Response?>

    private var byStatus: [Int: Handler] = [:]
    private var byType: [Handler] = []
    /// Whether every handler is synchronous.
    private(set) var areSynchronous = true

    /// Registers `handler` for the HTTP errors with status `code`.
    mutating func register(_ code: Int, _ handler: Handler) {
        self.byStatus[code] = handler
        self.areSynchronous = self.areSynchronous && handler.isSynchronous
    }

    /// Registers `handler` for the errors of its type, after those already registered.
    mutating func register(_ handler: Handler) {
        self.byType.append(handler)
        self.areSynchronous = self.areSynchronous && handler.isSynchronous
    }

    /// The handlers to try for `error`, in order: for an HTTP error the handler of its status,
    /// then the type handlers in the order they were registered.
    func candidates(for error: any Error) -> [Handler] {
        guard let exception = error as? HTTPException, let handler = self.byStatus[exception.code] else {
            return self.byType
        }
        return [handler] + self.byType
    }

    /// The response of the first handler that takes `error`, or nil when none does.
    func handle(_ error: any Error, _ request: Request) async throws -> Response? {
        for handler in self.candidates(for: error) {
            if let response = try await handler((request, error)) { return response }
        }
        return nil
    }

    /// `handle`, for handlers that are all synchronous.
    func handleAtOnce(_ error: any Error, _ request: Request) throws -> Response? {
        for handler in self.candidates(for: error) {
            if let response = try handler.callAtOnce((request, error)) { return response }
        }
        return nil
    }
}

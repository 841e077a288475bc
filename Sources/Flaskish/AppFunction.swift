/// A function the application registered, a view, a hook or an error handler: synchronous (a
/// closure without `await`), or asynchronous.
///
/// Synchronous functions are what lets `Flask.Execution.inline` answer a request at once, inside
/// the server's call, without starting a task.
@usableFromInline
enum AppFunction<Input: Sendable, Output: Sendable>: Sendable {
    case sync(@Sendable (Input) throws -> Output)
    case async(@Sendable (Input) async throws -> Output)

    /// Whether the function is synchronous, so that `callAtOnce` may call it.
    var isSynchronous: Bool {
        if case .sync = self { true } else { false }
    }

    /// Calls the function, awaiting it when it is asynchronous.
    func callAsFunction(_ input: Input) async throws -> Output {
        switch self {
        case .sync(let function): try function(input)
        case .async(let function): try await function(input)
        }
    }

    /// Calls a synchronous function. The immediate dispatch calls only functions it found
    /// synchronous (`isSynchronous`) before it began; an asynchronous one here is a bug in it.
    func callAtOnce(_ input: Input) throws -> Output {
        guard case .sync(let function) = self else {
            preconditionFailure("Flaskish: an asynchronous function was called in the immediate dispatch")
        }
        return try function(input)
    }
}

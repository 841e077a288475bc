/// Why the Hummingbird adapter could not start or answer.
public enum HummingbirdAdapterError: Error, Sendable, CustomStringConvertible {
    /// `start()` was called on an adapter already started.
    case alreadyStarted
    /// A request arrived before `start()` finished or after `stop()`.
    case notRunning
    /// Building the responder threw `underlying`.
    case startupFailed(any Error)
    /// The request method is not one Hummingbird can represent.
    case invalidMethod(String)

    public var description: String {
        switch self {
        case .alreadyStarted:
            "the Hummingbird application was already started"
        case .notRunning:
            "the Hummingbird application is not running (not started yet, or shut down)"
        case .startupFailed(let underlying):
            "building the Hummingbird application failed: \(String(describing: underlying))"
        case .invalidMethod(let method):
            "the request method '\(method)' is not a valid HTTP method"
        }
    }
}

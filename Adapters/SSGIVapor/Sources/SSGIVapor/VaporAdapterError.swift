/// Why the Vapor adapter could not start or answer.
public enum VaporAdapterError: Error, Sendable, CustomStringConvertible {
    /// `start()` was called on an adapter already started.
    case alreadyStarted
    /// A request arrived before `start()` finished or after `stop()`.
    case notRunning
    /// Making, configuring or booting the application threw `underlying`.
    case startupFailed(step: String, any Error)
    /// The application answered with a protocol upgrade (a WebSocket), which SSGI 1.0 cannot carry.
    case upgradeNotSupported(path: String)

    public var description: String {
        switch self {
        case .alreadyStarted:
            "the Vapor application was already started"
        case .notRunning:
            "the Vapor application is not running (not started yet, or shut down)"
        case .startupFailed(let step, let underlying):
            "\(step) the Vapor application failed: \(String(describing: underlying))"
        case .upgradeNotSupported(let path):
            "\(path) answered with a protocol upgrade (WebSocket), which SSGI does not support"
        }
    }
}

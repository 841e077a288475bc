/// Why the server stopped without being asked to.
public enum ArbiterError: Error, CustomStringConvertible {
    /// The workers cannot load the application: the loader's message, and the status to exit with.
    case bootFailed(String, exitCode: CInt)
    /// Workers cannot be started at all.
    case cannotStartWorkers(String)

    public var message: String {
        switch self {
        case .bootFailed(let message, _): message
        case .cannotStartWorkers(let reason): reason
        }
    }

    public var description: String { self.message }

    /// 4 when the application cannot be loaded or started (Gunicorn's APP_LOAD_ERROR), 1 otherwise.
    public var exitCode: CInt {
        switch self {
        case .bootFailed(_, let exitCode): exitCode
        case .cannotStartWorkers: 1
        }
    }
}

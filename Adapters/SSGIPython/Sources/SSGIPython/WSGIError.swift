/// Why the bridge cannot serve: a wrong argument, a Python that cannot start, an application
/// that cannot be imported. Each message is what swiftserve prints when it stops.
enum WSGIError: Error, CustomStringConvertible {
    /// The arguments after `--` cannot be read.
    case usage(String)
    /// The interpreter or the virtualenv cannot be used.
    case python(String)
    /// Importing the module or finding the callable raised: Python's own message, such as
    /// `ModuleNotFoundError: No module named 'flaskap'`.
    case application(String)

    var description: String {
        switch self {
        case .usage(let message): "\(message) (\(WSGIOptions.usage))"
        case .python(let message): message
        case .application(let message): message
        }
    }
}

/// Thrown by a view or middleware when the client may not have what it asked for: answered 403.
public struct PermissionDenied: Error, Sendable, CustomStringConvertible {
    /// Why; shown only with `DEBUG` on.
    public var message: String

    public init(_ message: String = "Permission denied") {
        self.message = message
    }

    public var description: String { self.message }
}

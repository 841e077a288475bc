/// Thrown by a view for a resource that does not exist: the project answers 404, with `message`
/// on the debug page when `DEBUG` is on.
public struct Http404: Error, Sendable, CustomStringConvertible {
    /// Why there is nothing here; shown only with `DEBUG` on.
    public var message: String

    public init(_ message: String = "Not Found") {
        self.message = message
    }

    public var description: String { self.message }
}

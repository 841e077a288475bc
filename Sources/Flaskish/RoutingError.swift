/// A mistake in how the application uses routing: a malformed rule, a view argument the rule does
/// not have, or a URL that cannot be built for an endpoint (Werkzeug's `BuildError`).
///
/// These are programming errors: a view that throws one answers 500 and the message goes to the
/// server's error log.
public struct RoutingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in words.
    public var message: String

    /// An error saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}

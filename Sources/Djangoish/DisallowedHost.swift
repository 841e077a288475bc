/// The request's Host header is malformed or not in `ALLOWED_HOSTS`: answered 400 and logged, as
/// Django's `SuspiciousOperation` of that name.
public struct DisallowedHost: Error, Sendable, CustomStringConvertible {
    /// The Host the client sent.
    public var host: String
    /// What is wrong with it.
    public var message: String

    init(host: String, message: String) {
        self.host = host
        self.message = message
    }

    public var description: String { self.message }
}

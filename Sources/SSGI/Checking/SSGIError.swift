/// An error the SDK raises when an application breaks a rule of the SSGI specification
/// or the server refuses an operation; `description` names the rule.
public struct SSGIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The result code the server returned, or 0 when the SDK itself detected the problem.
    public var code: Int32
    /// What went wrong, in words.
    public var message: String

    public init(code: Int32 = 0, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }

    /// The client closed the connection; the response cannot be delivered.
    public static let disconnected = SSGIError(code: -8, "the client disconnected")
}

/// `reverse` found no URL pattern of that name accepting the arguments given.
public struct NoReverseMatch: Error, Sendable, CustomStringConvertible {
    /// What was asked for and why it failed.
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}

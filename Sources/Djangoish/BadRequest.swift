/// Thrown when a request is malformed (a form or JSON body that does not parse): answered 400.
public struct BadRequest: Error, Sendable, CustomStringConvertible {
    /// What is wrong with the request; shown only with `DEBUG` on.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}

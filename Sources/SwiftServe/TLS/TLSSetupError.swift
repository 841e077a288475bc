/// Why the server's TLS set-up cannot be used: one line for the user, naming the option and the
/// file at fault.
public struct TLSSetupError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

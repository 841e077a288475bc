/// A redirect to a URL whose scheme is not http, https or ftp (`javascript:`, `data:`...): thrown
/// when the response is made, and answered 400.
public struct DisallowedRedirect: Error, Sendable, CustomStringConvertible {
    /// The URL refused.
    public var url: String

    init(url: String) {
        self.url = url
    }

    public var description: String { "Unsafe redirect to URL with protocol '\(self.url.prefix { $0 != ":" })'" }
}

/// No URL pattern matched the path: the patterns tried, for the debug 404 page.
struct Resolver404: Error, Sendable, CustomStringConvertible {
    /// The path matched, without its leading `/`.
    var path: String
    /// Each pattern tried, as the chain of routes from the root (an `include` then its patterns).
    var tried: [[String]]

    var description: String { "no URL pattern matches '\(self.path)'" }
}

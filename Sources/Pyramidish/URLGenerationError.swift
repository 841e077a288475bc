/// Why `Request.routeURL` or `routePath` could not build a URL: there is no route of that name, or
/// a placeholder of its pattern has no value.
public struct URLGenerationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The route name asked for.
    public var routeName: String
    /// The placeholder without a value, or nil when the route does not exist.
    public var missingPlaceholder: String?

    public init(routeName: String, missingPlaceholder: String? = nil) {
        self.routeName = routeName
        self.missingPlaceholder = missingPlaceholder
    }

    public var description: String {
        if let missingPlaceholder {
            return "cannot generate a URL for route '\(self.routeName)': no value for '\(missingPlaceholder)'"
        }
        return "cannot generate a URL: no route named '\(self.routeName)'"
    }
}

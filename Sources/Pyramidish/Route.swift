/// A named route: a URL pattern that views attach to by name and that URLs are generated from.
public struct Route: Sendable {
    /// The name views and URL generation refer to.
    public let name: String
    /// The pattern as written, such as `/users/{id}`, with the route prefix of its `include` applied.
    public var pattern: String { self.compiled.text }

    let compiled: RoutePattern

    init(name: String, pattern: RoutePattern) {
        self.name = name
        self.compiled = pattern
    }
}

/// The URL pattern a request's path matched, Django's `request.resolver_match`.
public struct ResolverMatch: Sendable {
    /// The path parameters by name, as matched (an `int` is its digits).
    public var kwargs: [String: String]
    /// The matched pattern's name, without namespaces.
    public var urlName: String?
    /// The namespaces of the includes it sits in, outermost first.
    public var namespaces: [String]
    /// The whole route matched, the included routes joined: `api/users/<int:id>/`.
    public var route: String
    /// The view called.
    let view: View

    /// The name `reverse` finds the pattern by: `api:user-detail`.
    public var viewName: String? {
        self.urlName.map { (self.namespaces + [$0]).joined(separator: ":") }
    }
}

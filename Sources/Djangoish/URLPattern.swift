/// One entry of `urlpatterns`: a route and the view it leads to, or patterns included under it.
///
/// Made with `path`: `path("users/<int:id>/", userDetail, name: "user-detail")`. Routes have no
/// leading `/`; parameters are `<converter:name>` with the converters `str` (the default), `int`,
/// `slug`, `uuid` and `path`.
public struct URLPattern: Sendable {
    /// What a pattern leads to.
    enum Target: Sendable {
        case view(View, name: String?)
        case include(URLInclude)
    }

    let pattern: RoutePattern
    let target: Target

    /// The route as written.
    public var route: String { self.pattern.route }

    /// How the debug 404 page lists this pattern: `users/<int:id>/ [name='user-detail']`.
    var triedDescription: String {
        switch self.target {
        case .view(_, let name?): "\(self.route) [name='\(name)']"
        case .view(_, nil): self.route
        case .include(let include): include.namespace.map { "\(self.route) [namespace='\($0)']" } ?? self.route
        }
    }
}

/// A URL pattern sending paths that match `route` to `view`; `name` is what `reverse` finds it by.
public func path(_ route: String, _ view: @escaping View, name: String? = nil) -> URLPattern {
    URLPattern(pattern: RoutePattern(route), target: .view(view, name: name))
}

/// A URL pattern mounting included patterns under `route`: the route is matched as a prefix and the
/// rest of the path by the included patterns.
public func path(_ route: String, _ include: URLInclude) -> URLPattern {
    URLPattern(pattern: RoutePattern(route), target: .include(include))
}

/// URL patterns to mount under a route, `path("api/", include(apiPatterns, namespace: "api"))`.
public struct URLInclude: Sendable {
    /// The patterns mounted.
    public var patterns: [URLPattern]
    /// Prefixes the names of the patterns for `reverse`: `"api:status"`.
    public var namespace: String?

    public init(_ patterns: [URLPattern], namespace: String? = nil) {
        self.patterns = patterns
        self.namespace = namespace
    }
}

/// Mounts `patterns` under the route of the `path` it is given to, Django's `include`.
public func include(_ patterns: [URLPattern], namespace: String? = nil) -> URLInclude {
    URLInclude(patterns, namespace: namespace)
}

/// A project's `urlpatterns`, resolved: finds the view for a path, and the path for a name.
struct URLResolver: Sendable {
    /// The resolver of the project handling the request, with that request's script prefix: what
    /// the free function `reverse` and `CommonMiddleware` use (Django's thread-local URLconf).
    @TaskLocal static var current: URLResolver?

    let patterns: [URLPattern]
    /// SCRIPT_NAME of the request being handled: where the project is mounted; `reverse` prefixes it.
    var scriptPrefix = ""
    /// For each name (namespaced `api:status`), the chains of routes that lead to a view of that
    /// name, in the order of `urlpatterns`.
    private let named: [String: [[RoutePattern]]]

    init(_ patterns: [URLPattern]) {
        self.patterns = patterns
        var named: [String: [[RoutePattern]]] = [:]
        Self.collectNames(patterns, chain: [], namespaces: [], into: &named)
        self.named = named
    }

    /// The pattern matching `pathInfo` (`/users/7/`), or `Resolver404` listing what was tried.
    func resolve(_ pathInfo: String) throws(Resolver404) -> ResolverMatch {
        let path = pathInfo.hasPrefix("/") ? String(pathInfo.dropFirst()) : pathInfo
        var tried: [[String]] = []
        if let match = Self.resolve(
            self.patterns, Array(path.unicodeScalars)[...], kwargs: [:], namespaces: [], route: "", tried: &tried)
        {
            return match
        }
        throw Resolver404(path: path, tried: tried)
    }

    /// Whether some pattern matches `pathInfo`.
    func isValidPath(_ pathInfo: String) -> Bool {
        (try? self.resolve(pathInfo)) != nil
    }

    /// The path of the pattern named `name` with `kwargs` filled in, percent-encoded and prefixed
    /// with the script prefix: `/users/7/`.
    func reverse(_ name: String, kwargs: [String: String]) throws(NoReverseMatch) -> String {
        guard let chains = self.named[name] else {
            throw NoReverseMatch(
                "Reverse for '\(name)' not found. '\(name)' is not a valid view function or pattern name.")
        }
        for chain in chains {
            guard Set(chain.flatMap(\.parameterNames)) == Set(kwargs.keys) else { continue }
            let pieces = chain.compactMap { $0.fill(kwargs) }
            guard pieces.count == chain.count else { continue }
            return PercentEncoding.encodePath(self.scriptPrefix + "/" + pieces.joined())
        }
        let given = kwargs.keys.sorted().map { "'\($0)': '\(kwargs[$0] ?? "")'" }.joined(separator: ", ")
        let tried = chains.map { "'" + $0.map(\.route).joined() + "'" }.joined(separator: ", ")
        throw NoReverseMatch(
            "Reverse for '\(name)' with keyword arguments '{\(given)}' not found. "
                + "\(chains.count) pattern(s) tried: [\(tried)]")
    }

    private static func resolve(
        _ patterns: [URLPattern], _ path: ArraySlice<Unicode.Scalar>, kwargs: [String: String], namespaces: [String],
        route: String, tried: inout [[String]]
    ) -> ResolverMatch? {
        for pattern in patterns {
            switch pattern.target {
            case .view(let view, let name):
                if let match = pattern.pattern.match(path, exact: true) {
                    return ResolverMatch(
                        kwargs: kwargs.merging(match.kwargs) { _, inner in inner }, urlName: name,
                        namespaces: namespaces, route: route + pattern.route, view: view)
                }
                tried.append([pattern.triedDescription])
            case .include(let include):
                guard let match = pattern.pattern.match(path, exact: false) else {
                    tried.append([pattern.triedDescription])
                    continue
                }
                var subTried: [[String]] = []
                if let found = Self.resolve(
                    include.patterns, match.rest, kwargs: kwargs.merging(match.kwargs) { _, inner in inner },
                    namespaces: namespaces + (include.namespace.map { [$0] } ?? []), route: route + pattern.route,
                    tried: &subTried)
                {
                    return found
                }
                tried +=
                    subTried.isEmpty ? [[pattern.triedDescription]] : subTried.map { [pattern.triedDescription] + $0 }
            }
        }
        return nil
    }

    private static func collectNames(
        _ patterns: [URLPattern], chain: [RoutePattern], namespaces: [String],
        into named: inout [String: [[RoutePattern]]]
    ) {
        for pattern in patterns {
            switch pattern.target {
            case .view(_, let name?):
                named[(namespaces + [name]).joined(separator: ":"), default: []].append(chain + [pattern.pattern])
            case .view(_, nil):
                continue
            case .include(let include):
                Self.collectNames(
                    include.patterns, chain: chain + [pattern.pattern],
                    namespaces: namespaces + (include.namespace.map { [$0] } ?? []), into: &named)
            }
        }
    }
}

/// The rules of an application, in the order they are tried, with matching and URL building:
/// Werkzeug's `Map` and `MapAdapter` in one value.
struct URLMap: Sendable {
    /// The rules, sorted so that the most specific is tried first (see `Rule.precedes`); rules
    /// that tie keep the order they were added in.
    private(set) var rules: [Rule] = []

    mutating func add(_ rule: Rule) {
        let index = self.rules.firstIndex { rule.precedes($0) } ?? self.rules.endIndex
        self.rules.insert(rule, at: index)
    }

    /// Matches PATH_INFO and the method: the first rule that matches both wins; a path that only
    /// some rule with another method matches is a 405, and a path missing the trailing slash of a
    /// rule is redirected to it.
    func match(path: String, method: String) -> RouteMatch {
        let bytes = Array(path.utf8)
        var allowed: Set<String> = []
        for rule in self.rules {
            guard let values = rule.match(bytes) else { continue }
            if rule.methods.contains(method) { return .matched(rule, values) }
            allowed.formUnion(rule.methods)
        }
        if !allowed.isEmpty { return .methodNotAllowed(allowed: allowed.sorted()) }
        if !path.hasSuffix("/") {
            let withSlash = bytes + [UInt8(ascii: "/")]
            if self.rules.contains(where: {
                $0.strictSlashes && $0.pattern.hasSuffix("/") && $0.match(withSlash) != nil
            }) {
                return .redirect(location: path + "/")
            }
        }
        return .notFound
    }

    /// Every method some rule answers for `path`, sorted: the `Allow` header of an OPTIONS answer.
    func allowedMethods(path: String) -> [String] {
        let bytes = Array(path.utf8)
        return Set(self.rules.filter { $0.match(bytes) != nil }.flatMap(\.methods)).sorted()
    }

    /// The path of `endpoint` with `values`: the first of its rules whose variables all have a
    /// value its converter accepts; values no variable uses become the query string, sorted by key.
    func build(_ endpoint: String, _ values: [String: any CustomStringConvertible], method: String? = nil)
        throws(RoutingError) -> String
    {
        let candidates = self.rules.filter { $0.endpoint == endpoint && (method.map($0.methods.contains) ?? true) }
        guard !candidates.isEmpty else { throw RoutingError("no rule has the endpoint '\(endpoint)'") }
        for rule in candidates {
            guard let path = rule.build(values) else { continue }
            let used = Set(rule.arguments)
            let query = MultiDict(
                values.filter { !used.contains($0.key) }.sorted { $0.key < $1.key }.map {
                    ($0.key, $0.value.description)
                })
            return query.isEmpty ? path : path + "?" + PercentEncoding.encodeForm(query)
        }
        let expected = candidates.map { "'\($0.pattern)'" }.joined(separator: ", ")
        throw RoutingError(
            "cannot build a URL for the endpoint '\(endpoint)' from \(values.keys.sorted()): it needs \(expected)")
    }
}

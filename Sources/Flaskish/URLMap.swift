/// The rules of an application, in the order they are tried, with matching and URL building:
/// Werkzeug's `Map` and `MapAdapter` in one value.
///
/// Rules are parsed and sorted once, when they are added. A path is looked up among the rules
/// without variables by a dictionary, and only a path none of them answers is tried against the
/// rules with variables.
struct URLMap: Sendable {
    /// The rules, sorted so that the most specific is tried first (see `Rule.precedes`); rules
    /// that tie keep the order they were added in.
    private(set) var rules: [Rule] = []
    /// The rules without variables, by pattern, each list in the order of `rules`. They all come
    /// before the rules with variables in that order, so they are tried first.
    private var staticRules: [String: [Rule]] = [:]
    /// The rules with variables, in the order of `rules`.
    private var variableRules: [Rule] = []

    mutating func add(_ rule: Rule) {
        let index = self.rules.firstIndex { rule.precedes($0) } ?? self.rules.endIndex
        self.rules.insert(rule, at: index)
        if rule.isStatic {
            self.staticRules[rule.pattern] = self.rules.filter { $0.isStatic && $0.pattern == rule.pattern }
        } else {
            self.variableRules = self.rules.filter { !$0.isStatic }
        }
    }

    /// Matches PATH_INFO and the method: the first rule that matches both wins; a path that only
    /// some rule with another method matches is a 405, and a path missing the trailing slash of a
    /// rule is redirected to it.
    func match(path: String, method: String) -> RouteMatch {
        var allowed: [String] = []
        if let candidates = self.staticRules[path] {
            for rule in candidates where rule.matches(staticPath: path) {
                if rule.answers(method) { return .matched(rule, [:]) }
                allowed += rule.methods
            }
        }
        let bytes = self.variableRules.isEmpty ? [] : Array(path.utf8)
        for rule in self.variableRules {
            guard let values = rule.match(bytes) else { continue }
            if rule.answers(method) { return .matched(rule, values) }
            allowed += rule.methods
        }
        if !allowed.isEmpty { return .methodNotAllowed(allowed: Set(allowed).sorted()) }
        if !path.hasSuffix("/") {
            let withSlash = Array(path.utf8) + [UInt8(ascii: "/")]
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
        let candidates = self.rules.filter { rule in rule.endpoint == endpoint && (method.map(rule.answers) ?? true) }
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

/// A compiled regular expression for a route pattern, shared by every request.
///
/// `Regex` is not declared `Sendable`, but a compiled one is immutable apart from the program it
/// lowers on first use, which the standard library stores atomically; matching from several
/// threads at once is therefore safe, which is what `@unchecked Sendable` asserts here.
struct PathRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `source`; throws a `ConfigurationError` naming `pattern` when it is not a valid regex.
    init(_ source: String, pattern: String) throws(ConfigurationError) {
        do {
            self.regex = try Regex(source)
        } catch {
            throw ConfigurationError("route pattern '\(pattern)' is not a valid regular expression: \(error)")
        }
    }

    /// The captures named `names` when the whole of `path` matches, or nil.
    func match(_ path: String, names: [String]) -> [String: String]? {
        guard let match = try? self.regex.wholeMatch(in: path) else { return nil }
        var values: [String: String] = [:]
        for name in names {
            values[name] = match.output[name]?.substring.map(String.init) ?? ""
        }
        return values
    }
}

/// A mistake in the configuration, found when a route is added or when the app is made:
/// a malformed pattern, a route name used twice, a view for a route that does not exist.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, one problem per line.
    public var problems: [String]

    public init(_ problem: String) {
        self.problems = [problem]
    }

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        "configuration error: " + self.problems.joined(separator: "; ")
    }
}

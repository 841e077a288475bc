/// What the URL map found for a request's path and method.
enum RouteMatch: Sendable {
    /// A rule answers the path and method, with the values of its variables.
    case matched(Rule, [String: ViewArgument])
    /// The path lacks the trailing `/` of a rule with strict slashes: redirect to `location`.
    case redirect(location: String)
    /// Rules match the path, but none answers the method; `allowed` is what they answer.
    case methodNotAllowed(allowed: [String])
    /// No rule matches the path.
    case notFound
}

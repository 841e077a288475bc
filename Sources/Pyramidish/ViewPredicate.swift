/// A condition a request must meet for a view to be chosen, besides its request method.
///
/// When several views are registered for one route, the one with the most predicates is tried
/// first; a route whose views all decline the request answers 404.
public struct ViewPredicate: Sendable {
    let test: @Sendable (Request) -> Bool

    /// The request has the query or form parameter `name`, equal to `value` when one is given.
    public static func requestParam(_ name: String, equals value: String? = nil) -> ViewPredicate {
        ViewPredicate { request in
            guard let actual = request.params[name] else { return false }
            return value.map { $0 == actual } ?? true
        }
    }

    /// The request has the header `name`, equal to `value` when one is given.
    public static func header(_ name: String, equals value: String? = nil) -> ViewPredicate {
        ViewPredicate { request in
            guard let actual = request.headers[name] else { return false }
            return value.map { $0 == actual } ?? true
        }
    }

    /// The route matched with the placeholder `name` equal to `value`.
    public static func matchParam(_ name: String, equals value: String) -> ViewPredicate {
        ViewPredicate { request in request.matchdict[name] == value }
    }

    /// Any condition on the request.
    public static func custom(_ test: @escaping @Sendable (Request) -> Bool) -> ViewPredicate {
        ViewPredicate(test: test)
    }
}

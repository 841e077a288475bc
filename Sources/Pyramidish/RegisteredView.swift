/// A view as the configurator records it: the route it serves and the conditions for choosing it.
struct RegisteredView: Sendable {
    let routeName: String
    /// The request methods it answers, upper-cased; empty for any method. GET implies HEAD.
    let methods: [String]
    let predicates: [ViewPredicate]
    let view: View
    /// The order of registration, which breaks ties between views of equal specificity.
    let order: Int

    /// Whether the view answers `method`.
    func accepts(_ method: String) -> Bool {
        self.methods.isEmpty || self.methods.contains(method) || (method == "HEAD" && self.methods.contains("GET"))
    }

    /// Whether every predicate holds for `request`.
    func matches(_ request: Request) -> Bool {
        self.predicates.allSatisfy { $0.test(request) }
    }

    /// How many conditions the view sets: views with more are tried first, as in Pyramid.
    var specificity: Int {
        self.predicates.count + (self.methods.isEmpty ? 0 : 1)
    }
}

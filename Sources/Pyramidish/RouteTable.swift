/// The routes of an application in the order they were added: matched first to last, and looked up
/// by name for URL generation.
struct RouteTable: Sendable {
    let routes: [Route]
    private let byName: [String: Route]

    init(_ routes: [Route]) {
        self.routes = routes
        self.byName = Dictionary(routes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first route whose pattern matches `path`, with the values of its placeholders.
    func match(_ path: String) -> (route: Route, matchdict: [String: String])? {
        for route in self.routes {
            if let matchdict = route.compiled.match(path) {
                return (route, matchdict)
            }
        }
        return nil
    }

    /// The route named `name`.
    func route(named name: String) -> Route? {
        self.byName[name]
    }
}

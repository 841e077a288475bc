import SSGI

/// Builds a Pyramidish application, as Pyramid's `Configurator` does: named routes, views attached
/// to them by route name and request method, exception views and tweens. `makeApp()` checks the
/// whole configuration and returns the SSGI application.
///
/// ```swift
/// var config = Configurator()
/// config.addRoute("user", "/users/{id}")
/// config.addView(routeName: "user", requestMethod: "GET") { request in
///     try Response.json(["id": try request.matched("id", as: Int.self)])
/// }
/// let app = try config.makeApp()
/// ```
public struct Configurator: Sendable {
    /// The largest request body read for a view, in bytes (1 MiB unless set); a larger one is
    /// answered with 413 without being read into memory.
    public var maxBodySize: Int

    private var routes: [Route] = []
    private var views: [RegisteredView] = []
    private var exceptionViews: [ExceptionView] = []
    private var notFoundView: View?
    private var tweens: [Tween] = []
    private var routePrefix = ""
    private var problems: [String] = []

    public init(maxBodySize: Int = 1 << 20) {
        self.maxBodySize = maxBodySize
    }

    /// Adds a route named `name`. Routes are tried in the order they were added; the first whose
    /// pattern matches PATH_INFO wins.
    ///
    /// Patterns are Pyramid's: `/users/{id}` (one segment), `/users/{id:\d+}` (a regular
    /// expression), `/files/{path:.*}` or `/static/*subpath` (the rest of the path).
    public mutating func addRoute(_ name: String, _ pattern: String) {
        let pattern = Self.join(prefix: self.routePrefix, pattern)
        if self.routes.contains(where: { $0.name == name }) {
            self.problems.append("route name '\(name)' is used twice")
        }
        do {
            self.routes.append(Route(name: name, pattern: try RoutePattern(pattern)))
        } catch {
            self.problems += error.problems
        }
    }

    /// Attaches `view` to the route `routeName`.
    ///
    /// - Parameters:
    ///   - requestMethod: The methods the view answers (GET also answers HEAD); none for any method.
    ///     A request whose method no view of the route answers gets 405 with an Allow header.
    ///   - predicates: More conditions; views with more conditions are tried first.
    public mutating func addView<Result: ResponseConvertible>(
        _ view: @escaping @Sendable (Request) async throws -> Result, routeName: String, requestMethod: String...,
        predicates: [ViewPredicate] = []
    ) {
        self.register(view, routeName: routeName, methods: requestMethod, predicates: predicates)
    }

    /// Attaches the trailing-closure `view` to the route `routeName`; see `addView(_:routeName:requestMethod:predicates:)`.
    public mutating func addView<Result: ResponseConvertible>(
        routeName: String, requestMethod: String..., predicates: [ViewPredicate] = [],
        _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.register(view, routeName: routeName, methods: requestMethod, predicates: predicates)
    }

    /// Sets the view that answers when no route matches, or a view throws a 404 `HTTPException`.
    /// It should answer with a 404 status itself.
    public mutating func addNotFoundView<Result: ResponseConvertible>(
        _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.notFoundView = { try await view($0).response }
    }

    /// Adds a view for errors of type `type` thrown while answering a request, such as a page for a
    /// domain error. Views are tried in the order they were added; `HTTPException`s reach only views
    /// registered for `HTTPException` itself. An error no view handles becomes a 500, logged to
    /// `ssgi.errors`.
    public mutating func addExceptionView<Failure: Error>(
        for type: Failure.Type, _ view: @escaping @Sendable (Request, Failure) async throws -> Response
    ) {
        self.exceptionViews.append(ExceptionView(for: type, view))
    }

    /// Adds a tween around every request; the first added is the outermost.
    public mutating func addTween(_ tween: @escaping Tween) {
        self.tweens.append(tween)
    }

    /// Runs `configure` with `routePrefix` put in front of the patterns of the routes it adds, as
    /// Pyramid's `config.include(..., route_prefix=...)`.
    public mutating func include(routePrefix: String = "", _ configure: (inout Configurator) throws -> Void)
        rethrows
    {
        let outerPrefix = self.routePrefix
        self.routePrefix = Self.join(prefix: outerPrefix, routePrefix)
        defer { self.routePrefix = outerPrefix }
        try configure(&self)
    }

    /// Checks the configuration and returns the application; throws every problem found at once.
    public func makeApp() throws(ConfigurationError) -> AsyncApplication {
        var problems = self.problems
        let routeNames = Set(self.routes.map(\.name))
        var seen: Set<String> = []
        for view in self.views {
            if !routeNames.contains(view.routeName) {
                problems.append("a view is attached to the route '\(view.routeName)', which does not exist")
            }
            guard view.predicates.isEmpty else { continue }
            let methods = view.methods.isEmpty ? "any method" : view.methods.sorted().joined(separator: ", ")
            if !seen.insert("\(view.routeName) \(methods)").inserted {
                problems.append("two views answer \(methods) on the route '\(view.routeName)' with the same predicates")
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        let router = Router(
            routes: RouteTable(self.routes), views: self.views, notFoundView: self.notFoundView,
            exceptionViews: self.exceptionViews, maxBodySize: self.maxBodySize)
        return router.makeApplication(tweens: self.tweens)
    }

    private mutating func register<Result: ResponseConvertible>(
        _ view: @escaping @Sendable (Request) async throws -> Result, routeName: String, methods: [String],
        predicates: [ViewPredicate]
    ) {
        self.views.append(
            RegisteredView(
                routeName: routeName, methods: methods.map { $0.uppercased() }, predicates: predicates,
                view: { try await view($0).response }, order: self.views.count))
    }

    /// `pattern` under `prefix`: `/api` and `/users` give `/api/users`, `/api` and `` give `/api`.
    static func join(prefix: String, _ pattern: String) -> String {
        guard !prefix.isEmpty else { return pattern }
        var base = prefix.hasPrefix("/") ? prefix : "/" + prefix
        while base.hasSuffix("/") { base.removeLast() }
        guard !pattern.isEmpty else { return base.isEmpty ? "/" : base }
        return base + "/" + pattern.drop { $0 == "/" }
    }
}

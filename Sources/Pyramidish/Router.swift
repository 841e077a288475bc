import SSGI

/// Answers requests for a checked configuration, as Pyramid's router does: it matches the path
/// against the routes, chooses the view by request method and predicates, reads the body, runs the
/// view and turns errors into responses through the exception views.
struct Router: Sendable {
    let routes: RouteTable
    /// The views of each route, most specific first.
    private let views: [String: [RegisteredView]]
    private let notFoundView: View?
    private let exceptionViews: [ExceptionView]
    private let maxBodySize: Int

    init(
        routes: RouteTable, views: [RegisteredView], notFoundView: View?, exceptionViews: [ExceptionView],
        maxBodySize: Int
    ) {
        self.routes = routes
        self.views = Dictionary(grouping: views, by: \.routeName).mapValues { views in
            views.sorted { ($0.specificity, -$0.order) > ($1.specificity, -$1.order) }
        }
        self.notFoundView = notFoundView
        self.exceptionViews = exceptionViews
        self.maxBodySize = maxBodySize
    }

    /// The SSGI application: `tweens` around the router, the first outermost. An error that
    /// escapes them becomes its `HTTPException` response or a 500, whose cause goes to `ssgi.errors`.
    func makeApplication(tweens: [Tween]) -> AsyncApplication {
        var handler: Handler = { [self] request in try await self.handle(request) }
        for tween in tweens.reversed() {
            let next = handler
            handler = { request in try await tween(request, next) }
        }
        return { [routes, handler] environ, startResponse in
            let request = Request(environ: environ, routes: routes)
            let response: Response
            do {
                response = try await handler(request)
            } catch let exception as HTTPException {
                response = exception.response
            } catch let error as SSGIError where error == .disconnected {
                throw error
            } catch {
                environ.errors.write(
                    "Pyramidish: \(environ.requestMethod) \(environ.requestURI) failed: \(String(reflecting: error))")
                response = HTTPException.internalServerError().response
            }
            return response.send(startResponse, errors: environ.errors)
        }
    }

    /// Routes `request` and runs its view, handing errors to the not-found and exception views;
    /// an `HTTPException` none of them answers becomes its own response.
    func handle(_ request: Request) async throws -> Response {
        var request = request
        do {
            return try await self.dispatch(&request)
        } catch {
            return try await self.handle(error, for: request)
        }
    }

    private func dispatch(_ request: inout Request) async throws -> Response {
        let path = request.pathInfo.isEmpty ? "/" : request.pathInfo
        guard let (route, matchdict) = self.routes.match(path) else {
            throw HTTPException.notFound()
        }
        request.matchedRoute = route
        request.matchdict = matchdict
        let views = self.views[route.name] ?? []
        let accepting = views.filter { $0.accepts(request.method) }
        guard !accepting.isEmpty else {
            if views.isEmpty { throw HTTPException.notFound() }
            throw HTTPException.methodNotAllowed(allow: Self.allowedMethods(views))
        }
        request.attach(body: try await self.readBody(request.environ))
        guard let chosen = accepting.first(where: { $0.matches(request) }) else {
            throw HTTPException.notFound()
        }
        return try await chosen.view(request)
    }

    private func handle(_ error: any Error, for request: Request) async throws -> Response {
        let exception = error as? HTTPException
        if let notFoundView = self.notFoundView, exception?.status.code == 404 {
            return try await notFoundView(request)
        }
        for view in self.exceptionViews where (exception != nil) == view.handlesHTTPExceptions {
            if let response = try await view.handle(request, error) {
                return response
            }
        }
        if let exception { return exception.response }
        throw error
    }

    /// Reads the whole body, refusing one longer than `maxBodySize` with 413.
    private func readBody(_ environ: Environ) async throws -> [UInt8] {
        if environ.contentLength == 0 { return [] }
        if let declared = environ.contentLength, declared > self.maxBodySize {
            throw HTTPException.contentTooLarge()
        }
        do {
            return try await environ.input.readAll(limit: self.maxBodySize)
        } catch is RequestBodyTooLarge {
            throw HTTPException.contentTooLarge()
        } catch let error as SSGIError where error != .disconnected {
            throw HTTPException.badRequest("The request body could not be read.")
        }
    }

    /// The methods the views of a route answer, in the order registered, with HEAD after GET.
    private static func allowedMethods(_ views: [RegisteredView]) -> [String] {
        var methods: [String] = []
        for view in views.sorted(by: { $0.order < $1.order }) {
            let answered = view.methods.flatMap { $0 == "GET" ? ["GET", "HEAD"] : [$0] }
            for method in answered where !methods.contains(method) {
                methods.append(method)
            }
        }
        return methods
    }
}

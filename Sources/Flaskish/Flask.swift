/// A Flaskish application (Flask's `Flask` object): URL rules with their views, error handlers
/// and request hooks, served through SSGI.
///
/// ```swift
/// var app = Flask("hello")
/// app.get("/hello") { _ in text("Hello!\n") }
/// app.route("/users/<int:id>", methods: ["GET", "PUT"]) { request in
///     let id: Int = try request.viewArg("id")
///     return try jsonify(["id": id])
/// }
/// app.errorHandler(404) { request, error in try makeResponse("Nothing at \(request.path)\n", 404) }
/// ```
///
/// The application is a value: register everything, then export it (`app.export()`), which serves
/// a copy; a view answers HEAD when it answers GET, and OPTIONS and 405 answers are automatic.
public struct Flask: Sendable {
    /// The application's name, used in the server's logs.
    public let name: String
    /// The settings, such as the request body limit.
    public var config: Config

    var urlMap = URLMap()
    var errorHandlers = ErrorHandlers()
    var beforeRequestHooks: [AppFunction<Request, Response?>] = []
    var afterRequestHooks: [AppFunction<(Request, Response), Response>] = []

    /// An application named `name` with `config`.
    public init(_ name: String, config: Config = Config()) {
        self.name = name
        self.config = config
    }

    /// Whether every hook and error handler is synchronous: then a request to a synchronous view
    /// may be answered without a task (`Execution.inline`).
    var hooksAndHandlersAreSynchronous: Bool {
        self.errorHandlers.areSynchronous && self.beforeRequestHooks.allSatisfy(\.isSynchronous)
            && self.afterRequestHooks.allSatisfy(\.isSynchronous)
    }

    /// Registers `view` for `rule` and `methods` (Flask's `@app.route`).
    ///
    /// A rule is a path with variables, `/users/<int:id>`, using the converters `string` (the
    /// default), `int`, `float`, `path`, `uuid` and `any(a, b)`. `endpoint` names the rule for
    /// `url(for:)` (the rule itself by default). A rule ending in `/` also answers its path without
    /// the slash, with a 308 redirect, unless `strictSlashes` is false. A malformed rule stops the
    /// program, as Flask fails at import.
    ///
    /// A view without `await` is synchronous, and one that awaits asynchronous; both run under
    /// either `Execution`, and only synchronous ones can answer at once under `.inline`.
    @inlinable
    public mutating func route<Result: ResponseConvertible>(
        _ rule: String, methods: [String] = ["GET"], endpoint: String? = nil, strictSlashes: Bool = true,
        _ view: @escaping @Sendable (Request) throws -> Result
    ) {
        self.add(rule, methods, endpoint, strictSlashes, .sync { try view($0).makeResponse() })
    }

    /// Registers an asynchronous `view` for `rule` and `methods`, as the synchronous `route` does.
    @inlinable
    public mutating func route<Result: ResponseConvertible>(
        _ rule: String, methods: [String] = ["GET"], endpoint: String? = nil, strictSlashes: Bool = true,
        _ view: @escaping @Sendable (Request) async throws -> Result
    ) {
        self.add(rule, methods, endpoint, strictSlashes, .async { try await view($0).makeResponse() })
    }

    @usableFromInline
    mutating func add(
        _ rule: String, _ methods: [String], _ endpoint: String?, _ strictSlashes: Bool,
        _ view: AppFunction<Request, Response>
    ) {
        do {
            try self.urlMap.add(
                Rule(pattern: rule, methods: methods, endpoint: endpoint, strictSlashes: strictSlashes, view: view))
        } catch {
            preconditionFailure("Flaskish: \(error)")
        }
    }

    /// Registers the handler of HTTP errors with `status` (Flask's `@app.errorhandler(404)`); a
    /// handler for 500 also receives the errors no other handler took, as `originalError`.
    ///
    /// As in Flask, what the handler returns is sent with its own status: return
    /// `makeResponse(body, 404)` to keep the error's.
    public mutating func errorHandler<Result: ResponseConvertible>(
        _ status: HTTPStatus, _ handler: @escaping @Sendable (Request, HTTPException) throws -> Result
    ) {
        self.errorHandlers.register(
            status.code,
            .sync { request, error in
                guard let exception = error as? HTTPException else { return nil }
                return try handler(request, exception).makeResponse()
            })
    }

    /// Registers an asynchronous handler of HTTP errors with `status`.
    public mutating func errorHandler<Result: ResponseConvertible>(
        _ status: HTTPStatus, _ handler: @escaping @Sendable (Request, HTTPException) async throws -> Result
    ) {
        self.errorHandlers.register(
            status.code,
            .async { request, error in
                guard let exception = error as? HTTPException else { return nil }
                return try await handler(request, exception).makeResponse()
            })
    }

    /// Registers the handler of errors of `type` (Flask's `@app.errorhandler(SomeError)`), tried in
    /// the order registered after the handler for the status of an HTTP error.
    public mutating func errorHandler<Failure: Error, Result: ResponseConvertible>(
        _ type: Failure.Type, _ handler: @escaping @Sendable (Request, Failure) throws -> Result
    ) {
        self.errorHandlers.register(
            .sync { request, error in
                guard let error = error as? Failure else { return nil }
                return try handler(request, error).makeResponse()
            })
    }

    /// Registers an asynchronous handler of errors of `type`.
    public mutating func errorHandler<Failure: Error, Result: ResponseConvertible>(
        _ type: Failure.Type, _ handler: @escaping @Sendable (Request, Failure) async throws -> Result
    ) {
        self.errorHandlers.register(
            .async { request, error in
                guard let error = error as? Failure else { return nil }
                return try await handler(request, error).makeResponse()
            })
    }

    /// Registers a hook run before each view (Flask's `before_request`), in the order registered;
    /// the first that returns a response answers instead of the view.
    public mutating func beforeRequest(_ hook: @escaping @Sendable (Request) throws -> Response?) {
        self.beforeRequestHooks.append(.sync(hook))
    }

    /// Registers an asynchronous hook run before each view.
    public mutating func beforeRequest(_ hook: @escaping @Sendable (Request) async throws -> Response?) {
        self.beforeRequestHooks.append(.async(hook))
    }

    /// Registers a hook that may change each response (Flask's `after_request`), error pages
    /// included; hooks run in the reverse of the order registered.
    public mutating func afterRequest(_ hook: @escaping @Sendable (Request, inout Response) throws -> Void) {
        self.afterRequestHooks.append(
            .sync { request, response in
                var response = response
                try hook(request, &response)
                return response
            })
    }

    /// Registers an asynchronous hook that may change each response.
    public mutating func afterRequest(_ hook: @escaping @Sendable (Request, inout Response) async throws -> Void) {
        self.afterRequestHooks.append(
            .async { request, response in
                var response = response
                try await hook(request, &response)
                return response
            })
    }

    /// The path of `endpoint` with `values` (Flask's `url_for` outside a request): variables of the
    /// rule are filled, the other values become the query string.
    public func url(for endpoint: String, _ values: [String: any CustomStringConvertible] = [:]) throws(RoutingError)
        -> String
    {
        try self.urlMap.build(endpoint, values)
    }
}

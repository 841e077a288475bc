extension Flask {
    /// The application as an SSGI application, to export or to call in tests: every request runs
    /// as with `Execution.concurrent`.
    public var application: AsyncApplication {
        let app = self
        return { environ, startResponse in try await app(environ, startResponse) }
    }

    /// Exports the application to the server: return it from the `@_cdecl("app")` entry point.
    ///
    /// With `.concurrent`, the default, each request runs as a Swift task: the request body is
    /// read with asynchronous reads, which block no thread while a slow client sends it, and
    /// views may `await` databases and other services. The task starts on the server's I/O
    /// thread and stays there until it first suspends, so a view must not block: a blocking call
    /// stalls every connection of that thread. With `.inline`, a request without a body whose
    /// view, hooks and error handlers are synchronous is answered on the I/O thread without a
    /// task: choose it only when those views never block. See `Execution`.
    public func export(execution: Execution = .concurrent) -> UnsafeRawPointer {
        guard execution == .inline, self.hooksAndHandlersAreSynchronous else {
            return exportApplication(name: self.name, self.application)
        }
        return exportApplication(name: self.name, immediate: self.immediateApplication, self.application)
    }

    /// The part of the application `Execution.inline` runs inside the server's call: it answers
    /// the requests `immediateResponse(to:)` answers, and returns nil for the others.
    var immediateApplication: ImmediateApplication {
        let app = self
        return { environ, startResponse in
            app.immediateResponse(to: environ)?.buffered().send(
                startResponse, errors: environ.errors, framework: "Flaskish")
        }
    }

    /// Answers one request (Flask's `wsgi_app`): routes it, runs the hooks and the view, turns
    /// errors into responses, and sends the response.
    public func callAsFunction(_ environ: Environ, _ startResponse: StartResponse) async throws -> ResponseBody {
        let response = await self.fullDispatch(environ)
        return response.buffered().send(startResponse, errors: environ.errors, framework: "Flaskish")
    }

    /// The response to `environ`, whatever happens: errors go to the error handlers, and what
    /// they cannot handle becomes a generic 500 with the details in the server's error log.
    func fullDispatch(_ environ: Environ) async -> Response {
        let match = self.urlMap.match(path: environ.pathInfo, method: environ.requestMethod)
        var request = Request(environ: environ, urlMap: self.urlMap, match: match)
        var response: Response
        do {
            response = try await self.dispatch(&request, match)
        } catch {
            response = await self.handle(error, request)
        }
        for hook in self.afterRequestHooks.reversed() {
            do {
                response = try await hook((request, response))
            } catch {
                self.log(error, in: "an after-request hook", request)
                return HTTPException(.internalServerError).makeResponse()
            }
        }
        return response
    }

    /// Reads the body, runs the before-request hooks, then raises the routing error or runs the view.
    private func dispatch(_ request: inout Request, _ match: RouteMatch) async throws -> Response {
        if case .matched(let rule, _) = match, !self.answersAutomatically(rule, method: request.method) {
            try await request.readBody(limit: self.config.maxContentLength)
        }
        for hook in self.beforeRequestHooks {
            if let response = try await hook(request) { return response }
        }
        return try await self.view(for: match, request)(request)
    }

    /// Whether the framework answers a request with `method` for `rule` itself: an OPTIONS
    /// request to a rule that does not handle OPTIONS.
    func answersAutomatically(_ rule: Rule, method: String) -> Bool {
        rule.providesAutomaticOptions && method == "OPTIONS"
    }

    /// What answers a request the before-request hooks let through: the rule's view, or the
    /// automatic OPTIONS answer. A routing error (a redirect, 405, 404) is thrown as an HTTP error.
    func view(for match: RouteMatch, _ request: Request) throws -> AppFunction<Request, Response> {
        switch match {
        case .matched(let rule, _):
            guard self.answersAutomatically(rule, method: request.method) else { return rule.view }
            let allow = self.urlMap.allowedMethods(path: request.path).joined(separator: ", ")
            return .sync { _ in Response(headers: ["Allow": allow]) }
        case .redirect(let location):
            let query = request.environ.queryString
            let target = PercentEncoding.encodePath(request.scriptRoot + location) + (query.isEmpty ? "" : "?" + query)
            throw HTTPException(response: redirect(to: target, code: .permanentRedirect))
        case .methodNotAllowed(let allowed):
            throw HTTPException(.methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")])
        case .notFound:
            throw HTTPException(.notFound)
        }
    }

    /// The response for an error from a hook or a view (Flask's `handle_user_exception`).
    private func handle(_ error: any Error, _ request: Request) async -> Response {
        do {
            if let response = (error as? HTTPException)?.response { return response }
            if let response = try await self.errorHandlers.handle(error, request) { return response }
            if let exception = error as? HTTPException { return exception.makeResponse() }
            self.log(error, request)
            let internalError = HTTPException(.internalServerError, originalError: error)
            return try await self.errorHandlers.handle(internalError, request) ?? internalError.makeResponse()
        } catch {
            self.log(error, in: "an error handler", request)
            return HTTPException(.internalServerError).makeResponse()
        }
    }

    /// Writes an error no handler took to the server's error log, as Flask logs "Exception on /path [GET]".
    func log(_ error: any Error, in stage: String? = nil, _ request: Request) {
        let place = stage.map { " in \($0)" } ?? ""
        request.environ.errors.write(
            "Flaskish: exception\(place) on \(request.path) [\(request.method)]: \(String(reflecting: error))")
    }
}

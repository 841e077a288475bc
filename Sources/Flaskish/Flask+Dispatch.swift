extension Flask {
    /// The application as an SSGI application, to export or to call in tests.
    public var application: AsyncApplication {
        let app = self
        return { environ, startResponse in try await app(environ, startResponse) }
    }

    /// Exports the application to the server: return it from the `@_cdecl("app")` entry point.
    ///
    /// It runs on Swift concurrency: the request body is read with asynchronous reads, which block
    /// no thread while a slow client sends it, and views may `await` databases and other services.
    public func export() -> UnsafeRawPointer {
        exportApplication(name: self.name, self.application)
    }

    /// Answers one request (Flask's `wsgi_app`): routes it, runs the hooks and the view, turns
    /// errors into responses, and sends the response.
    public func callAsFunction(_ environ: Environ, _ startResponse: StartResponse) async throws -> ResponseBody {
        let response = await self.fullDispatch(environ)
        return response.buffered.send(startResponse, errors: environ.errors, framework: "Flaskish")
    }

    /// The response to `environ`, whatever happens: errors go to the error handlers, and what
    /// they cannot handle becomes a generic 500 with the details in the server's error log.
    func fullDispatch(_ environ: Environ) async -> Response {
        let match = self.urlMap.match(path: environ.pathInfo, method: environ.requestMethod)
        var request: Request
        if case .matched(let rule, let values) = match {
            request = Request(environ: environ, urlMap: self.urlMap, rule: rule, viewArgs: values)
        } else {
            request = Request(environ: environ, urlMap: self.urlMap, rule: nil, viewArgs: [:])
        }
        var response: Response
        do {
            response = try await self.dispatch(&request, match)
        } catch {
            response = await self.handle(error, request)
        }
        for hook in self.afterRequestHooks.reversed() {
            do {
                try await hook(request, &response)
            } catch {
                self.log(error, in: "an after-request hook", request)
                return HTTPException(.internalServerError).makeResponse()
            }
        }
        return response
    }

    /// Reads the body, runs the before-request hooks, then raises the routing error or runs the view.
    private func dispatch(_ request: inout Request, _ match: RouteMatch) async throws -> Response {
        let isAutomaticOptions: Bool
        if case .matched(let rule, _) = match {
            isAutomaticOptions = rule.providesAutomaticOptions && request.method == "OPTIONS"
            if !isAutomaticOptions { try await request.readBody(limit: self.config.maxContentLength) }
        } else {
            isAutomaticOptions = false
        }
        for hook in self.beforeRequestHooks {
            if let response = try await hook(request) { return response }
        }
        switch match {
        case .matched(let rule, _):
            if isAutomaticOptions {
                return Response(headers: [
                    "Allow": self.urlMap.allowedMethods(path: request.path).joined(separator: ", ")
                ])
            }
            return try await rule.view(request)
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
            if let exception = error as? HTTPException {
                if let response = exception.response { return response }
                return try await self.errorHandlers.handle(exception, request) ?? exception.makeResponse()
            }
            if let response = try await self.errorHandlers.handle(error, request) { return response }
            self.log(error, request)
            let internalError = HTTPException(.internalServerError, originalError: error)
            return try await self.errorHandlers.handle(internalError, request) ?? internalError.makeResponse()
        } catch {
            self.log(error, in: "an error handler", request)
            return HTTPException(.internalServerError).makeResponse()
        }
    }

    /// Writes an error no handler took to the server's error log, as Flask logs "Exception on /path [GET]".
    private func log(_ error: any Error, in stage: String? = nil, _ request: Request) {
        let place = stage.map { " in \($0)" } ?? ""
        request.environ.errors.write(
            "Flaskish: exception\(place) on \(request.path) [\(request.method)]: \(String(reflecting: error))")
    }
}

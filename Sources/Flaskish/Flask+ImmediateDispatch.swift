extension Flask {
    /// The response to `environ` computed at once, without suspending, or nil when the request
    /// needs Swift concurrency: it has a body to read, or its view is asynchronous.
    ///
    /// The same steps as `fullDispatch`, called only for applications whose hooks and error
    /// handlers are all synchronous (`hooksAndHandlersAreSynchronous`), and decided before any of
    /// them runs: a request it declines has run nothing of the application.
    func immediateResponse(to environ: Environ) -> Response? {
        guard environ.input.isKnownEmpty else { return nil }
        let match = self.urlMap.match(path: environ.pathInfo, method: environ.requestMethod)
        if case .matched(let rule, _) = match, !rule.view.isSynchronous,
            !self.answersAutomatically(rule, method: environ.requestMethod)
        {
            return nil
        }
        let request = Request(environ: environ, urlMap: self.urlMap, match: match)
        var response: Response
        do {
            response = try self.dispatchAtOnce(request, match)
        } catch {
            response = self.handleAtOnce(error, request)
        }
        for hook in self.afterRequestHooks.reversed() {
            do {
                response = try hook.callAtOnce((request, response))
            } catch {
                self.log(error, in: "an after-request hook", request)
                return HTTPException(.internalServerError).makeResponse()
            }
        }
        return response
    }

    /// `dispatch` for a request without a body: the before-request hooks, then the routing error
    /// or the view.
    private func dispatchAtOnce(_ request: Request, _ match: RouteMatch) throws -> Response {
        for hook in self.beforeRequestHooks {
            if let response = try hook.callAtOnce(request) { return response }
        }
        return try self.view(for: match, request).callAtOnce(request)
    }

    /// `handle`, with synchronous error handlers.
    private func handleAtOnce(_ error: any Error, _ request: Request) -> Response {
        do {
            if let response = (error as? HTTPException)?.response { return response }
            if let response = try self.errorHandlers.handleAtOnce(error, request) { return response }
            if let exception = error as? HTTPException { return exception.makeResponse() }
            self.log(error, request)
            let internalError = HTTPException(.internalServerError, originalError: error)
            return try self.errorHandlers.handleAtOnce(internalError, request) ?? internalError.makeResponse()
        } catch {
            self.log(error, in: "an error handler", request)
            return HTTPException(.internalServerError).makeResponse()
        }
    }
}

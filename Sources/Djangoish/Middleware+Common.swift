extension Middleware {
    /// Django's `CommonMiddleware`: checks the Host against `ALLOWED_HOSTS` before anything else
    /// runs, and with `APPEND_SLASH` answers a 404 for `/users/7` with a 301 to `/users/7/` when
    /// that path matches a URL pattern. In DEBUG a POST, PUT or PATCH is not redirected (its body
    /// would be lost) but fails with an error that says so.
    public static let common = Middleware { getResponse in
        { request in
            _ = try request.getHost()
            let response = try await getResponse(request)
            guard response.status.code == 404, Settings.current.appendSlash, !request.pathInfo.hasSuffix("/"),
                let resolver = URLResolver.current, !resolver.isValidPath(request.pathInfo),
                resolver.isValidPath(request.pathInfo + "/")
            else { return response }
            let query = request.environ.queryString
            let location = PercentEncoding.encodePath(request.path + "/") + (query.isEmpty ? "" : "?" + query)
            if Settings.current.debug, ["POST", "PUT", "PATCH"].contains(request.method) {
                throw AppendSlashError(method: request.method, location: location)
            }
            return try HttpResponseRedirect(location, permanent: true).httpResponse
        }
    }
}

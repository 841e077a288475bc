/// `view`, answering 405 with an Allow header to a request whose method is not in `methods`:
/// Django's `@require_http_methods(["GET", "POST"])` decorator.
public func requireHTTPMethods(_ methods: [String], _ view: @escaping View) -> View {
    { request in
        guard methods.contains(request.method) else { return HttpResponseNotAllowed(methods) }
        return try await view(request)
    }
}

/// `view`, for GET only: Django's `@require_GET`. HEAD is refused too; use `requireSafe` to allow it.
public func requireGET(_ view: @escaping View) -> View {
    requireHTTPMethods(["GET"], view)
}

/// `view`, for POST only: Django's `@require_POST`.
public func requirePOST(_ view: @escaping View) -> View {
    requireHTTPMethods(["POST"], view)
}

/// `view`, for GET and HEAD: Django's `@require_safe`.
public func requireSafe(_ view: @escaping View) -> View {
    requireHTTPMethods(["GET", "HEAD"], view)
}

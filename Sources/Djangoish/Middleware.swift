/// A middleware, Django's middleware factory: given the next handler (`getResponse`), it returns a
/// handler that wraps it, doing work before the request goes in and after the response comes out.
///
/// ```swift
/// let poweredBy = Middleware { getResponse in
///     { request in
///         var response = try await getResponse(request)
///         response["X-Powered-By"] = "Djangoish"
///         return response
///     }
/// }
/// ```
///
/// A project lists its middleware outermost first, as `MIDDLEWARE` does. What a handler inside
/// throws reaches a middleware as the error page it becomes (a 404, a 500), so a middleware sees
/// every response.
public struct Middleware: Sendable {
    private let wrap: @Sendable (@escaping GetResponse) -> GetResponse

    public init(_ wrap: @escaping @Sendable (_ getResponse: @escaping GetResponse) -> GetResponse) {
        self.wrap = wrap
    }

    /// The handler wrapping `getResponse`.
    public func callAsFunction(_ getResponse: @escaping GetResponse) -> GetResponse {
        self.wrap(getResponse)
    }
}

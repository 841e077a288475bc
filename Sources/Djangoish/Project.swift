/// A Djangoish project: settings, `urlpatterns` and middleware, served as one SSGI application
/// (Django's `get_wsgi_application()`).
///
/// ```swift
/// let project = Project(
///     settings: Settings(allowedHosts: ["example.com"]),
///     urlpatterns: [
///         path("users/<int:id>/", userDetail, name: "user-detail"),
///         path("api/", include(apiPatterns, namespace: "api")),
///     ],
///     middleware: [.security, .common])
/// exportApplication(name: "site", project.application)
/// ```
///
/// A request goes through the middleware, outermost first, to the URL resolver and the view; an
/// error thrown on the way becomes its error page at the layer that threw it, so every middleware
/// outside sees a response. The Host is checked against `ALLOWED_HOSTS` before the URL is resolved
/// (and by `Middleware.common` before anything inside it runs).
public struct Project: Sendable {
    /// The settings, `Settings.current` while a request is handled.
    public let settings: Settings
    /// The URL patterns, tried in order.
    public let urlpatterns: [URLPattern]
    /// The middleware, outermost first.
    public let middleware: [Middleware]
    private let resolver: URLResolver
    private let handler: GetResponse

    public init(settings: Settings = Settings(), urlpatterns: [URLPattern], middleware: [Middleware] = []) {
        self.settings = settings
        self.urlpatterns = urlpatterns
        self.middleware = middleware
        let resolver = URLResolver(urlpatterns)
        self.resolver = resolver
        let view: GetResponse = { request in
            _ = try request.getHost()
            var request = request
            let match = try resolver.resolve(request.pathInfo)
            request.resolverMatch = match
            return try await match.view(request).httpResponse
        }
        self.handler = middleware.reversed().reduce(Self.convertingErrors(view, settings)) { inner, middleware in
            Self.convertingErrors(middleware(inner), settings)
        }
    }

    /// The project as an SSGI application: reads the request (the body up to
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE`), handles it and sends the response.
    public var application: AsyncApplication {
        { environ, startResponse in
            let request = try await HttpRequest.read(environ, limit: self.settings.dataUploadMaxMemorySize)
            let response = await self.handle(request)
            return BufferedResponse(status: response.status, headers: response.headers, body: response.content)
                .send(startResponse, errors: environ.errors, framework: "djangoish")
        }
    }

    /// The response to `request`, through the middleware and the view; never throws, errors
    /// having become their error pages.
    public func handle(_ request: HttpRequest) async -> HttpResponse {
        var resolver = self.resolver
        resolver.scriptPrefix = request.environ.scriptName
        return await Settings.$current.withValue(self.settings) {
            await URLResolver.$current.withValue(resolver) {
                do {
                    return try await self.handler(request)
                } catch {
                    return ErrorPage.response(for: error, request: request, settings: self.settings)
                }
            }
        }
    }

    /// The path of the pattern named `name` with `kwargs` filled in, as the free function `reverse`
    /// gives it inside a request, for a project mounted at `scriptPrefix`.
    public func reverse(
        _ name: String, kwargs: [String: any CustomStringConvertible] = [:], scriptPrefix: String = ""
    ) throws -> String {
        var resolver = self.resolver
        resolver.scriptPrefix = scriptPrefix
        return try resolver.reverse(name, kwargs: kwargs.mapValues(\.description))
    }

    private static func convertingErrors(_ handler: @escaping GetResponse, _ settings: Settings) -> GetResponse {
        { request in
            do {
                return try await handler(request)
            } catch {
                return ErrorPage.response(for: error, request: request, settings: settings)
            }
        }
    }
}

/// The SSGI application of a project with these settings, URL patterns and middleware.
public func makeApplication(
    settings: Settings = Settings(), urlpatterns: [URLPattern], middleware: [Middleware] = []
) -> AsyncApplication {
    Project(settings: settings, urlpatterns: urlpatterns, middleware: middleware).application
}

import Djangoish
import Synchronization
import Testing

/// The middleware chain and the built-in middleware.
@Suite("Middleware")
struct MiddlewareTests {
    /// A middleware that records its name going in and coming out, and tags the response.
    static func tracing(_ name: String, _ trace: Recorder) -> Middleware {
        Middleware { getResponse in
            { request in
                trace.append("\(name) in")
                var response = try await getResponse(request)
                trace.append("\(name) out")
                response["X-Trace"] = (response["X-Trace"].map { $0 + "," } ?? "") + name
                return response
            }
        }
    }

    @Test("middleware wrap the view in order, the first outermost")
    func chainOrder() async throws {
        let trace = Recorder()
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"]),
            urlpatterns: [
                path(
                    "v",
                    { _ in
                        trace.append("view"); return HttpResponse()
                    })
            ],
            middleware: [Self.tracing("outer", trace), Self.tracing("inner", trace)])
        let response = try await TestRequests.call(project, "/v")
        #expect(trace.lines == ["outer in", "inner in", "view", "inner out", "outer out"])
        #expect(response.header("X-Trace") == "inner,outer")
    }

    @Test("a middleware may answer without calling the view")
    func shortCircuit() async throws {
        let blocker = Middleware { _ in { _ in HttpResponse("blocked", status: .forbidden) } }
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"]), urlpatterns: [path("v", { _ in HttpResponse("view") })],
            middleware: [blocker])
        let response = try await TestRequests.call(project, "/v")
        #expect(response.statusCode == 403)
        #expect(response.text == "blocked")
    }

    @Test("an error becomes a response at the layer that threw it, which the middleware outside see")
    func errorsBecomeResponses() async throws {
        let trace = Recorder()
        let throwing = Middleware { getResponse in
            { request in
                _ = try await getResponse(request); throw PermissionDenied()
            }
        }
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"]),
            urlpatterns: [path("v", { _ in throw Http404() })],
            middleware: [Self.tracing("outer", trace), throwing, Self.tracing("inner", trace)])
        let missing = try await TestRequests.call(project, "/nowhere")
        #expect(missing.statusCode == 403)
        #expect(missing.header("X-Trace") == "outer")
        #expect(trace.lines == ["outer in", "inner in", "inner out", "outer out"])
    }

    @Test("CommonMiddleware redirects to the path with a slash when only that one matches (APPEND_SLASH)")
    func appendSlash() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"]),
            urlpatterns: [
                path("users/<int:id>/", { _ in HttpResponse("user") }), path("plain", { _ in HttpResponse() }),
            ],
            middleware: [.common])
        let redirected = try await TestRequests.call(project, "/users/7?tab=a%20b", scriptName: "/app")
        #expect(redirected.statusCode == 301)
        #expect(redirected.header("Location") == "/app/users/7/?tab=a%20b")
        #expect(try await TestRequests.call(project, "/users/x").statusCode == 404)
        #expect(try await TestRequests.call(project, "/plain/").statusCode == 404)
        #expect(try await TestRequests.call(project, "POST", "/users/7").statusCode == 301)

        let off = Project(
            settings: Settings(allowedHosts: ["testserver"], appendSlash: false), urlpatterns: project.urlpatterns,
            middleware: [.common])
        #expect(try await TestRequests.call(off, "/users/7").statusCode == 404)
    }

    @Test("CommonMiddleware in DEBUG refuses to redirect a POST, whose body would be lost")
    func appendSlashPostInDebug() async throws {
        let project = Project(
            settings: Settings(debug: true, allowedHosts: ["testserver"]),
            urlpatterns: [path("form/", { _ in HttpResponse() })], middleware: [.common])
        let response = try await TestRequests.call(project, "POST", "/form")
        #expect(response.statusCode == 500)
        #expect(response.text.contains("APPEND_SLASH"))
    }

    @Test("CommonMiddleware checks the Host before the view runs")
    func commonChecksHost() async throws {
        let ran = Mutex(false)
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"]),
            urlpatterns: [
                path(
                    "v",
                    { _ in
                        ran.withLock { $0 = true }; return HttpResponse()
                    })
            ],
            middleware: [.common])
        #expect(try await TestRequests.call(project, "/v", headers: [("Host", "evil.test")]).statusCode == 400)
        #expect(!ran.withLock { $0 })
    }

    @Test("SecurityMiddleware and XFrameOptionsMiddleware add their headers unless the view set them")
    func securityHeaders() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"], secureHSTSSeconds: 3600),
            urlpatterns: [
                path("v", { _ in HttpResponse() }),
                path(
                    "own",
                    { _ in HttpResponse(headers: ["Referrer-Policy": "no-referrer", "X-Frame-Options": "SAMEORIGIN"]) }),
            ],
            middleware: [.security, .xFrameOptions])
        let plain = try await TestRequests.call(project, "/v")
        #expect(plain.header("X-Content-Type-Options") == "nosniff")
        #expect(plain.header("Referrer-Policy") == "same-origin")
        #expect(plain.header("Cross-Origin-Opener-Policy") == "same-origin")
        #expect(plain.header("X-Frame-Options") == "DENY")
        #expect(plain.header("Strict-Transport-Security") == nil)
        let own = try await TestRequests.call(project, "/own")
        #expect(own.header("Referrer-Policy") == "no-referrer")
        #expect(own.header("X-Frame-Options") == "SAMEORIGIN")
        var secure = TestRequests.environ("/v")
        secure.urlScheme = "https"
        #expect(
            try await callApplication(project.application, secure).header("Strict-Transport-Security") == "max-age=3600"
        )
    }

    @Test("SecurityMiddleware with SECURE_SSL_REDIRECT sends http to https")
    func sslRedirect() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"], secureSSLRedirect: true),
            urlpatterns: [path("v", { _ in HttpResponse() })], middleware: [.security])
        let response = try await TestRequests.call(project, "/v?a=1")
        #expect(response.statusCode == 301)
        #expect(response.header("Location") == "https://testserver/v?a=1")
    }
}

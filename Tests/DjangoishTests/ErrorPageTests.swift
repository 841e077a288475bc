import Djangoish
import Testing

/// The 404 and 500 pages: detailed with DEBUG on, generic and silent about internals with it off.
@Suite("Error pages")
struct ErrorPageTests {
    struct DatabaseDown: Error, CustomStringConvertible {
        var description: String { "connection to db-internal:5432 refused" }
    }

    static func project(debug: Bool) -> Project {
        Project(
            settings: Settings(debug: debug, allowedHosts: ["testserver"]),
            urlpatterns: [
                path("users/<int:id>/", { _ in throw Http404("No user matches id 7") }, name: "user-detail"),
                path("fail/", { _ in throw DatabaseDown() }),
                path("forbidden/", { _ in throw PermissionDenied("staff only") }),
                path("api/", include([path("status/", { _ in HttpResponse() }, name: "status")], namespace: "api")),
            ])
    }

    @Test("DEBUG on: a 404 lists the URL patterns tried, escaped, and the path")
    func debug404ListsPatterns() async throws {
        let response = try await TestRequests.call(Self.project(debug: true), "/missing<script>")
        #expect(response.statusCode == 404)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        let page = response.text
        #expect(page.contains("Page not found"))
        #expect(page.contains("<li>users/&lt;int:id&gt;/ [name=&#x27;user-detail&#x27;]</li>"))
        #expect(page.contains("<li>fail/</li>"))
        #expect(page.contains("<li>api/ [namespace=&#x27;api&#x27;]</li>"))
        #expect(page.contains("<code>missing&lt;script&gt;</code>"))
        #expect(!page.contains("<script>"))
        #expect(page.contains("DEBUG = True"))
    }

    @Test("DEBUG on: a 404 inside an include lists the included patterns under their prefix")
    func debug404InsideInclude() async throws {
        let page = try await TestRequests.call(Self.project(debug: true), "/api/nope/").text
        #expect(page.contains("<li>api/ [namespace=&#x27;api&#x27;] status/ [name=&#x27;status&#x27;]</li>"))
    }

    @Test("DEBUG on: Http404 from a view shows its message")
    func debugHttp404Message() async throws {
        let response = try await TestRequests.call(Self.project(debug: true), "/users/7/")
        #expect(response.statusCode == 404)
        #expect(response.text.contains("No user matches id 7"))
    }

    @Test("DEBUG on: a 500 names the error and its description, and logs it")
    func debug500ShowsError() async throws {
        let log = Recorder()
        let response = try await TestRequests.call(Self.project(debug: true), "/fail/", errors: log)
        #expect(response.statusCode == 500)
        #expect(response.text.contains("DatabaseDown at /fail/"))
        #expect(response.text.contains("connection to db-internal:5432 refused"))
        #expect(log.text.contains("connection to db-internal:5432 refused"))
    }

    @Test("DEBUG off: a 404 is the generic page, naming no pattern")
    func generic404() async throws {
        for path in ["/missing", "/users/7/"] {
            let response = try await TestRequests.call(Self.project(debug: false), path)
            #expect(response.statusCode == 404)
            #expect(
                response.text.contains("<h1>Not Found</h1><p>The requested resource was not found on this server.</p>"))
            #expect(!response.text.contains("users/"))
            #expect(!response.text.contains("No user"))
        }
    }

    @Test("DEBUG off: a 500 is the generic page, and the error goes to environ.errors")
    func generic500() async throws {
        let log = Recorder()
        let response = try await TestRequests.call(Self.project(debug: false), "/fail/", errors: log)
        #expect(response.statusCode == 500)
        #expect(response.text.contains("<h1>Server Error (500)</h1>"))
        #expect(!response.text.contains("db-internal"))
        #expect(!response.text.contains("DatabaseDown"))
        #expect(log.text.contains("Internal Server Error: GET /fail/"))
        #expect(log.text.contains("DatabaseDown"))
        #expect(log.text.contains("connection to db-internal:5432 refused"))
    }

    @Test("PermissionDenied is a 403, its reason shown only in DEBUG")
    func forbidden() async throws {
        let generic = try await TestRequests.call(Self.project(debug: false), "/forbidden/")
        #expect(generic.statusCode == 403)
        #expect(!generic.text.contains("staff only"))
        #expect(try await TestRequests.call(Self.project(debug: true), "/forbidden/").text.contains("staff only"))
    }
}

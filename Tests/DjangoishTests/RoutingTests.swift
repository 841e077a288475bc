import Djangoish
import Testing

/// `urlpatterns`: `path` routes with converters, `include`, and `reverse`.
@Suite("Routing")
struct RoutingTests {
    static let echoKwargs: View = { request in
        HttpResponse(
            request.kwargs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
            contentType: "text/plain")
    }

    static let project = Project(
        settings: Settings(allowedHosts: ["testserver"]),
        urlpatterns: [
            path("", echoKwargs, name: "home"),
            path("users/<int:id>/", echoKwargs, name: "user-detail"),
            path("tags/<str:tag>/", echoKwargs, name: "tag"),
            path("articles/<slug:slug>/", echoKwargs, name: "article"),
            path("objects/<uuid:key>/", echoKwargs, name: "object"),
            path("files/<path:file>/raw", echoKwargs, name: "file"),
            path("default/<name>/", echoKwargs),
            path(
                "api/v<int:version>/",
                include(
                    [
                        path("status/", echoKwargs, name: "status"),
                        path("items/<int:item>/", echoKwargs, name: "item"),
                    ], namespace: "api")),
        ])

    @Test(
        "converters capture what they accept",
        arguments: [
            ("/users/42/", "id=42"),
            ("/tags/swift lang/", "tag=swift lang"),
            ("/articles/hello-world_2/", "slug=hello-world_2"),
            ("/objects/075194d3-6885-417e-a8a8-6c931e272f00/", "key=075194d3-6885-417e-a8a8-6c931e272f00"),
            ("/files/a/b/c.txt/raw", "file=a/b/c.txt"),
            ("/default/anything/", "name=anything"),
            ("/", ""),
        ])
    func convertersCapture(path: String, kwargs: String) async throws {
        let response = try await TestRequests.call(Self.project, path)
        #expect(response.statusCode == 200)
        #expect(response.text == kwargs)
    }

    @Test(
        "converters refuse what they do not accept: 404",
        arguments: [
            "/users/abc/", "/users/-1/", "/users/99999999999999999999999/", "/users/7/extra/", "/tags/a/b/",
            "/articles/héllo/", "/objects/075194D3-6885-417E-A8A8-6C931E272F00/", "/objects/1234/", "/files//raw",
            "/users//", "/users/7",
        ])
    func convertersRefuse(path: String) async throws {
        #expect(try await TestRequests.call(Self.project, path).statusCode == 404)
    }

    @Test("an include matches its route as a prefix and passes its parameters down")
    func includeCarriesParameters() async throws {
        #expect(try await TestRequests.call(Self.project, "/api/v2/status/").text == "version=2")
        #expect(try await TestRequests.call(Self.project, "/api/v2/items/5/").text == "item=5,version=2")
        #expect(try await TestRequests.call(Self.project, "/api/vx/status/").statusCode == 404)
    }

    @Test("the resolver match names the pattern, its namespaces and the whole route")
    func resolverMatch() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["*"]),
            urlpatterns: [
                path(
                    "api/",
                    include(
                        [
                            path(
                                "items/<int:id>/",
                                { request in
                                    let match = try #require(request.resolverMatch)
                                    return HttpResponse("\(match.viewName ?? "-") \(match.route) \(match.namespaces)")
                                }, name: "item")
                        ], namespace: "api"))
            ])
        #expect(try await TestRequests.call(project, "/api/items/3/").text == #"api:item api/items/<int:id>/ ["api"]"#)
    }

    @Test("patterns are tried in order: the first match wins")
    func firstMatchWins() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["*"]),
            urlpatterns: [
                path("users/me/", { _ in HttpResponse("me") }),
                path("users/<str:name>/", { _ in HttpResponse("name") }),
            ])
        #expect(try await TestRequests.call(project, "/users/me/").text == "me")
        #expect(try await TestRequests.call(project, "/users/you/").text == "name")
    }

    @Test("kwarg converts a path parameter to a Swift type")
    func typedKwarg() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["*"]),
            urlpatterns: [
                path("n/<int:n>/", { request in HttpResponse(String((request.kwarg("n", as: Int.self) ?? 0) * 2)) })
            ])
        #expect(try await TestRequests.call(project, "/n/21/").text == "42")
    }

    @Test("Project.reverse fills parameters, follows namespaces and encodes the path")
    func reverseByName() throws {
        let project = Self.project
        #expect(try project.reverse("user-detail", kwargs: ["id": 7]) == "/users/7/")
        #expect(try project.reverse("home") == "/")
        #expect(try project.reverse("tag", kwargs: ["tag": "a b"]) == "/tags/a%20b/")
        #expect(try project.reverse("file", kwargs: ["file": "x/y.txt"]) == "/files/x/y.txt/raw")
        #expect(try project.reverse("api:item", kwargs: ["version": 1, "item": 9]) == "/api/v1/items/9/")
        #expect(try project.reverse("user-detail", kwargs: ["id": 7], scriptPrefix: "/app") == "/app/users/7/")
    }

    @Test(
        "reverse refuses unknown names, missing or extra parameters, and values the converter refuses",
        arguments: [
            ("nope", ["id": "1"]), ("user-detail", [:]), ("user-detail", ["id": "x"]),
            ("user-detail", ["id": "1", "extra": "2"]), ("tag", ["tag": "a/b"]),
            ("item", ["version": "1", "item": "2"]),
        ])
    func reverseRefuses(name: String, kwargs: [String: String]) {
        #expect(throws: NoReverseMatch.self) { try Self.project.reverse(name, kwargs: kwargs) }
    }

    @Test("reverse inside a view uses the project handling the request and its mount point")
    func reverseInView() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["*"]),
            urlpatterns: [
                path("where/", { _ in HttpResponse(try reverse("user", kwargs: ["id": 3])) }),
                path("users/<int:id>/", { _ in HttpResponse() }, name: "user"),
            ])
        #expect(try await TestRequests.call(project, "/where/", scriptName: "/mounted").text == "/mounted/users/3/")
        #expect(throws: NoReverseMatch.self) { try reverse("user", kwargs: ["id": 3]) }
    }
}

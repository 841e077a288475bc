import Djangoish
import Testing

/// The response types and how the project sends them.
@Suite("Responses")
struct ResponseTests {
    static func project(_ view: @escaping View, settings: Settings = Settings(allowedHosts: ["testserver"])) -> Project
    {
        Project(settings: settings, urlpatterns: [path("r", view)])
    }

    @Test("HttpResponse defaults to text/html in DEFAULT_CHARSET and sends a Content-Length")
    func defaultContentType() async throws {
        let response = try await TestRequests.call(Self.project({ _ in HttpResponse("<p>hé</p>") }), "/r")
        #expect(response.status == "200 OK")
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("Content-Length") == "10")
        #expect(response.text == "<p>hé</p>")
    }

    @Test("DEFAULT_CHARSET encodes string content and names itself in the Content-Type")
    func defaultCharset() async throws {
        let project = Self.project(
            { _ in HttpResponse("hé") }, settings: Settings(allowedHosts: ["testserver"], defaultCharset: .isoLatin1))
        let response = try await TestRequests.call(project, "/r")
        #expect(response.header("Content-Type") == "text/html; charset=iso-8859-1")
        #expect(response.body == [0x68, 0xE9])
    }

    @Test("a charset in the Content-Type given wins over DEFAULT_CHARSET")
    func contentTypeCharset() {
        let response = HttpResponse("é€", contentType: "text/plain; charset=latin-1")
        #expect(response.charset == .isoLatin1)
        #expect(response.content == [0xE9, UInt8(ascii: "?")])
        #expect(response.text == "é?")
    }

    @Test("status, headers by subscript, and cookies reach the client")
    func statusHeadersCookies() async throws {
        let project = Self.project({ _ in
            var response = HttpResponse("made", status: .created, contentType: "text/plain")
            response["Cache-Control"] = "no-cache"
            response.headers.setCookie("session", "a b", httpOnly: true)
            return response
        })
        let response = try await TestRequests.call(project, "/r")
        #expect(response.status == "201 Created")
        #expect(response.header("cache-control") == "no-cache")
        #expect(response.header("Set-Cookie") == "session=a%20b; Path=/; HttpOnly")
    }

    @Test("JsonResponse encodes the value with sorted keys as application/json")
    func jsonResponse() async throws {
        struct Item: Encodable { var name: String, tags: [String], url: String }
        let project = Self.project({ _ in
            try JsonResponse(Item(name: "x", tags: ["a", "b"], url: "/items/1/"), status: .accepted)
        })
        let response = try await TestRequests.call(project, "/r")
        #expect(response.statusCode == 202)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.text == #"{"name":"x","tags":["a","b"],"url":"/items/1/"}"#)
    }

    @Test("HttpResponseRedirect: 302, or 301 when permanent, with the Location encoded")
    func redirects() async throws {
        let found = try HttpResponseRedirect("/search?q=a b&x=é")
        #expect(found.httpResponse.statusCode == 302)
        #expect(found.httpResponse["Location"] == "/search?q=a%20b&x=%C3%A9")
        #expect(found.url == "/search?q=a b&x=é")
        #expect(try HttpResponseRedirect("https://example.com/", permanent: true).httpResponse.statusCode == 301)
    }

    @Test(
        "a redirect to an unsafe scheme is refused, and answered 400",
        arguments: ["javascript:alert(1)", "data:text/html,x", " JavaScript:alert(1)"])
    func unsafeRedirect(url: String) async throws {
        #expect(throws: DisallowedRedirect.self) { try HttpResponseRedirect(url) }
        let response = try await TestRequests.call(Self.project({ _ in try HttpResponseRedirect(url) }), "/r")
        #expect(response.statusCode == 400)
    }

    @Test("requireHTTPMethods answers other methods 405 with Allow")
    func requireMethods() async throws {
        let project = Project(
            settings: Settings(allowedHosts: ["testserver"]),
            urlpatterns: [
                path("any", requireHTTPMethods(["GET", "POST"], { request in HttpResponse(request.method) })),
                path("get", requireGET({ _ in HttpResponse("got") })),
                path("post", requirePOST({ _ in HttpResponse("posted") })),
                path("safe", requireSafe({ _ in HttpResponse("safe") })),
            ])
        #expect(try await TestRequests.call(project, "POST", "/any").text == "POST")
        let deleted = try await TestRequests.call(project, "DELETE", "/any")
        #expect(deleted.statusCode == 405)
        #expect(deleted.header("Allow") == "GET, POST")
        #expect(try await TestRequests.call(project, "HEAD", "/get").header("Allow") == "GET")
        #expect(try await TestRequests.call(project, "GET", "/post").header("Allow") == "POST")
        #expect(try await TestRequests.call(project, "HEAD", "/safe").statusCode == 200)
        #expect(try await TestRequests.call(project, "PUT", "/safe").header("Allow") == "GET, HEAD")
    }

    @Test("a 204 is sent without Content-Type or body")
    func noContent() async throws {
        let response = try await TestRequests.call(Self.project({ _ in HttpResponse("x", status: .noContent) }), "/r")
        #expect(response.statusCode == 204)
        #expect(response.header("Content-Type") == nil)
        #expect(response.body.isEmpty)
    }
}

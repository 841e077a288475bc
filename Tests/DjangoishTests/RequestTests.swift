import Djangoish
import Testing

/// `HttpRequest`: what a view reads of the request.
@Suite("HttpRequest")
struct RequestTests {
    /// A project whose one view answers what `describe` makes of the request.
    static func project(
        _ settings: Settings = Settings(allowedHosts: ["testserver"]),
        _ describe: @escaping @Sendable (HttpRequest) throws -> String
    ) -> Project {
        Project(
            settings: settings,
            urlpatterns: [
                path("<path:rest>", { request in HttpResponse(try describe(request), contentType: "text/plain") })
            ])
    }

    @Test("method, path, pathInfo and the full path")
    func methodAndPath() async throws {
        let project = Self.project { "\($0.method) \($0.path) \($0.pathInfo) \($0.getFullPath())" }
        let response = try await TestRequests.call(project, "PUT", "/a b/c?x=1", scriptName: "/app")
        #expect(response.text == "PUT /app/a b/c /a b/c /app/a%20b/c?x=1")
    }

    @Test("GET is the query string as a multidict")
    func queryParameters() async throws {
        let project = Self.project { "\($0.GET["tag"] ?? "-") \($0.GET.all("tag")) \($0.GET["q"] ?? "-")" }
        #expect(try await TestRequests.call(project, "/s?tag=a&tag=b&q=x+y%21").text == #"b ["a", "b"] x y!"#)
    }

    @Test("POST is the form of a urlencoded POST, and empty otherwise")
    func formParameters() async throws {
        let project = Self.project { "\(try $0.POST["name"] ?? "-") \(try $0.POST.all("n"))" }
        let form = Array("name=Ada+L%C3%B6ve&n=1&n=2".utf8)
        let posted = try await TestRequests.call(
            project, "POST", "/f", body: form, contentType: "application/x-www-form-urlencoded; charset=utf-8")
        #expect(posted.text == #"Ada Löve ["1", "2"]"#)
        let put = try await TestRequests.call(
            project, "PUT", "/f", body: form, contentType: "application/x-www-form-urlencoded")
        #expect(put.text == "- []")
        let json = try await TestRequests.call(project, "POST", "/f", body: form, contentType: "application/json")
        #expect(json.text == "- []")
    }

    @Test("COOKIES, headers in any case, and META from the environ")
    func cookiesHeadersMeta() async throws {
        let project = Self.project {
            "\($0.COOKIES["session"] ?? "-") \($0.headers["user-agent"] ?? "-") \($0.META["HTTP_USER_AGENT"] ?? "-") \($0.META["REQUEST_METHOD"] ?? "-")"
        }
        let response = try await TestRequests.call(
            project, "/r",
            headers: [("Host", "testserver"), ("User-Agent", "tester/1"), ("Cookie", "session=abc; other=1")])
        #expect(response.text == "abc tester/1 tester/1 GET")
    }

    @Test("body and json() decode the request body")
    func bodyAndJSON() async throws {
        struct Point: Decodable { var x: Int, y: Int }
        let project = Self.project { request in
            let point = try request.json(Point.self)
            return "\(try request.body.count) \(point.x + point.y) \(request.contentType)"
        }
        let body = Array(#"{"x": 2, "y": 3}"#.utf8)
        let response = try await TestRequests.call(
            project, "POST", "/p", body: body, contentType: "Application/JSON; charset=utf-8")
        #expect(response.text == "\(body.count) 5 application/json")
    }

    @Test("json() of a body that is not JSON is a 400")
    func invalidJSON() async throws {
        let project = Self.project { request in String(describing: try request.json([String: Int].self)) }
        let response = try await TestRequests.call(project, "POST", "/p", body: Array("{nope".utf8))
        #expect(response.statusCode == 400)
        #expect(response.text.contains("Bad Request (400)"))
    }

    @Test("a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 when the view reads it")
    func bodyTooLarge() async throws {
        let settings = Settings(allowedHosts: ["testserver"], dataUploadMaxMemorySize: 10)
        let reads = Self.project(settings) { "\(try $0.body.count)" }
        #expect(try await TestRequests.call(reads, "POST", "/r", body: Array(repeating: 65, count: 10)).text == "10")
        let large = try await TestRequests.call(reads, "POST", "/r", body: Array(repeating: 65, count: 11))
        #expect(large.statusCode == 413)
        #expect(large.text.contains("Content Too Large (413)"))
        let form = try await TestRequests.call(
            Self.project(settings) { try $0.POST["a"] ?? "-" }, "POST", "/r", body: Array("a=0123456789".utf8),
            contentType: "application/x-www-form-urlencoded")
        #expect(form.statusCode == 413)
        let ignores = Self.project(settings) { _ in "fine" }
        #expect(
            try await TestRequests.call(ignores, "POST", "/r", body: Array(repeating: 65, count: 11)).text == "fine")
    }

    @Test("a body without Content-Length is not read past the limit")
    func undeclaredBodyStopsAtLimit() async throws {
        let project = Self.project(Settings(allowedHosts: ["testserver"], dataUploadMaxMemorySize: 100)) {
            "\(try $0.body.count)"
        }
        var environ = TestRequests.environ("POST", "/r", body: Array(repeating: 1, count: 1000))
        environ.contentLengthValue = ""
        #expect(try await callApplication(project.application, environ).statusCode == 413)
    }

    @Test("getHost and buildAbsoluteURI use the Host header")
    func hostAndAbsoluteURI() async throws {
        let project = Self.project(Settings(allowedHosts: [".example.com"])) {
            "\(try $0.getHost()) \(try $0.buildAbsoluteURI()) \(try $0.buildAbsoluteURI("/x")) \($0.isSecure)"
        }
        let response = try await TestRequests.call(project, "/p?q=1", headers: [("Host", "www.example.com:8000")])
        #expect(
            response.text
                == "www.example.com:8000 http://www.example.com:8000/p?q=1 http://www.example.com:8000/x false")
    }

    @Test(
        "ALLOWED_HOSTS: a Host not allowed, or malformed, is 400 and logged",
        arguments: [
            (["example.com"], "example.com", 200), (["example.com"], "EXAMPLE.com.", 200),
            (["example.com"], "example.com:8080", 200), (["example.com"], "evil.com", 400),
            (["example.com"], "sub.example.com", 400), ([".example.com"], "sub.example.com", 200),
            ([".example.com"], "example.com", 200), ([".example.com"], "badexample.com", 400),
            (["*"], "anything.test", 200), ([], "localhost", 400), (["example.com"], "example.com:port", 400),
            (["example.com"], "exa mple.com", 400), (["[::1]"], "[::1]:80", 200), (["*"], "bad/host", 400),
        ])
    func allowedHosts(allowed: [String], host: String, status: Int) async throws {
        let log = Recorder()
        let project = Self.project(Settings(allowedHosts: allowed)) { _ in "ok" }
        let response = try await TestRequests.call(project, "/r", headers: [("Host", host)], errors: log)
        #expect(response.statusCode == status)
        if status == 400 {
            #expect(log.text.contains("Invalid HTTP_HOST header"))
            #expect(!response.text.contains(host))
        }
    }

    @Test("with DEBUG on and no ALLOWED_HOSTS, only local hosts are allowed")
    func debugAllowsLocalHosts() async throws {
        let project = Self.project(Settings(debug: true)) { _ in "ok" }
        for host in ["localhost", "localhost:8000", "127.0.0.1", "[::1]:8000", "app.localhost"] {
            #expect(try await TestRequests.call(project, "/r", headers: [("Host", host)]).statusCode == 200, "\(host)")
        }
        let refused = try await TestRequests.call(project, "/r", headers: [("Host", "example.com")])
        #expect(refused.statusCode == 400)
        #expect(refused.text.contains("You may need to add &#x27;example.com&#x27; to ALLOWED_HOSTS"))
    }
}

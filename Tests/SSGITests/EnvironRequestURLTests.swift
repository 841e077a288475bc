import Testing

@testable import SSGI

/// The request's URL rebuilt from the environ, and its parameters parsed.
@Suite("Environ URL and parameters")
struct EnvironRequestURLTests {
    @Test("the Host header wins; without it SERVER_NAME, with a port only when not the default")
    func host() {
        #expect(Environ(headers: [("Host", "example.com:8080")]).host == "example.com:8080")
        #expect(Environ(serverName: "a.test", serverPort: "80").host == "a.test")
        #expect(Environ(serverName: "a.test", serverPort: "443", urlScheme: "https").host == "a.test")
        #expect(Environ(serverName: "a.test", serverPort: "8443", urlScheme: "https").host == "a.test:8443")
    }

    @Test("the URL is the scheme, host, encoded SCRIPT_NAME and PATH_INFO, and the query")
    func url() {
        let environ = Environ(
            scriptName: "/my app", pathInfo: "/a b", queryString: "x=1", headers: [("Host", "h")])
        #expect(environ.hostURL == "http://h")
        #expect(environ.applicationURL == "http://h/my%20app")
        #expect(environ.path == "/my%20app/a%20b")
        #expect(environ.url == "http://h/my%20app/a%20b?x=1")
        #expect(Environ(pathInfo: "/p", headers: [("Host", "h")]).url == "http://h/p")
    }

    @Test("query, media type and the form test come from the environ")
    func parameters() {
        let environ = Environ(
            queryString: "a=1&a=2&b=x+y", contentType: " Application/X-WWW-Form-Urlencoded ; charset=utf-8")
        #expect(environ.query.all("a") == ["1", "2"])
        #expect(environ.query["b"] == "x y")
        #expect(environ.mediaType == "application/x-www-form-urlencoded")
        #expect(environ.hasFormBody)
        #expect(Environ().mediaType == "")
        #expect(!Environ(contentType: "application/json").hasFormBody)
        #expect(Environ().cookies.isEmpty)
    }
}

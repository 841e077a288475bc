import Testing

@testable import SSGI

/// The environ: typed properties, lookup by CGI name, `HTTP_*` keys computed from the headers,
/// and the list of every key in the specification's order.
@Suite("Environ")
struct EnvironTests {
    @Test("typed properties are found under their CGI names")
    func cgiNames() {
        let environ = Environ(
            requestMethod: "POST", scriptName: "/mount", pathInfo: "/a b", queryString: "x=1",
            contentType: "text/plain", contentLength: "12", serverName: "example.com", serverPort: "8080",
            serverProtocol: "HTTP/1.0", remoteAddr: "10.0.0.2", remotePort: "5555", urlScheme: "https")
        #expect(environ["REQUEST_METHOD"] == "POST")
        #expect(environ["SCRIPT_NAME"] == "/mount")
        #expect(environ["PATH_INFO"] == "/a b")
        #expect(environ["QUERY_STRING"] == "x=1")
        #expect(environ["CONTENT_TYPE"] == "text/plain")
        #expect(environ["CONTENT_LENGTH"] == "12")
        #expect(environ["SERVER_NAME"] == "example.com")
        #expect(environ["SERVER_PORT"] == "8080")
        #expect(environ["SERVER_PROTOCOL"] == "HTTP/1.0")
        #expect(environ["REMOTE_ADDR"] == "10.0.0.2")
        #expect(environ["REMOTE_PORT"] == "5555")
        #expect(environ["ssgi.url_scheme"] == "https")
    }

    @Test("CONTENT_TYPE and CONTENT_LENGTH are absent when the request had none")
    func absentContentKeys() {
        let environ = Environ()
        #expect(environ["CONTENT_TYPE"] == nil)
        #expect(environ["CONTENT_LENGTH"] == nil)
        #expect(!environ.keys.contains("CONTENT_TYPE"))
        #expect(!environ.keys.contains("CONTENT_LENGTH"))
    }

    @Test("SSL_CLIENT_S_DN is the client certificate's subject, present only when there is one")
    func clientSubject() {
        let verified = Environ(tlsClientSubject: "O=Example,CN=alice")
        #expect(verified["SSL_CLIENT_S_DN"] == "O=Example,CN=alice")
        #expect(verified.keys.contains("SSL_CLIENT_S_DN"))
        #expect(Environ()["SSL_CLIENT_S_DN"] == nil)
        #expect(!Environ().keys.contains("SSL_CLIENT_S_DN"))
    }

    @Test("ssgi.version is the ABI version the SDK builds for")
    func version() {
        #expect(Environ().version == "1.2")
        #expect(Environ()["ssgi.version"] == "1.2")
    }

    @Test("ssgi.multithread, ssgi.multiprocess and ssgi.run_once read \"true\" or \"false\"")
    func booleans() {
        let environ = Environ(multithread: true, multiprocess: false, runOnce: true)
        #expect(environ["ssgi.multithread"] == "true")
        #expect(environ["ssgi.multiprocess"] == "false")
        #expect(environ["ssgi.run_once"] == "true")
        let inverted = Environ(multithread: false, multiprocess: true, runOnce: false)
        #expect(inverted["ssgi.multithread"] == "false")
        #expect(inverted["ssgi.multiprocess"] == "true")
        #expect(inverted["ssgi.run_once"] == "false")
    }

    @Test("an unknown key has no value")
    func unknownKey() {
        let environ = Environ(headers: [("Host", "example.com")])
        #expect(environ["NOT_A_KEY"] == nil)
        #expect(environ["HTTP_ACCEPT"] == nil)
        #expect(environ["host"] == nil)
    }

    @Test("the request URI defaults to script name, path info and query string")
    func defaultRequestURI() {
        #expect(Environ(scriptName: "/app", pathInfo: "/p", queryString: "q=1").requestURI == "/app/p?q=1")
        #expect(Environ(pathInfo: "/p").requestURI == "/p")
        #expect(Environ(pathInfo: "/p", requestURI: "/p%20").requestURI == "/p%20")
    }

    @Test("HTTP_* keys name headers upper-cased with '-' as '_'")
    func httpKeyMapping() {
        let environ = Environ(headers: [("Host", "example.com"), ("X-Forwarded-For", "10.1.1.1")])
        #expect(environ["HTTP_HOST"] == "example.com")
        #expect(environ["HTTP_X_FORWARDED_FOR"] == "10.1.1.1")
        #expect(environ["HTTP_X-FORWARDED-FOR"] == nil)
    }

    @Test("HTTP_* lookup ignores the case of the header name as sent")
    func httpKeyCaseInsensitive() {
        let environ = Environ(headers: [("x-rEqUeSt-iD", "abc")])
        #expect(environ["HTTP_X_REQUEST_ID"] == "abc")
    }

    @Test("repeated headers are joined with a comma in arrival order, cookies with a semicolon")
    func repeatedHeaders() {
        let environ = Environ(headers: [
            ("Accept", "text/html"), ("Cookie", "a=1"), ("accept", "text/plain"), ("cookie", "b=2"),
            ("ACCEPT", "*/*"),
        ])
        #expect(environ["HTTP_ACCEPT"] == "text/html, text/plain, */*")
        #expect(environ["HTTP_COOKIE"] == "a=1; b=2")
        #expect(environ.header("Accept") == "text/html, text/plain, */*")
        #expect(environ.header("Cookie") == "a=1; b=2")
    }

    @Test("HTTP_CONTENT_TYPE and HTTP_CONTENT_LENGTH are never present")
    func noHTTPContentKeys() {
        let environ = Environ(
            contentType: "text/plain", contentLength: "3",
            headers: [("Content-Type", "text/plain"), ("Content-Length", "3")])
        #expect(environ["HTTP_CONTENT_TYPE"] == nil)
        #expect(environ["HTTP_CONTENT_LENGTH"] == nil)
        #expect(!environ.keys.contains("HTTP_CONTENT_TYPE"))
        #expect(!environ.keys.contains("HTTP_CONTENT_LENGTH"))
        #expect(environ["CONTENT_TYPE"] == "text/plain")
        #expect(environ["CONTENT_LENGTH"] == "3")
    }

    @Test("keys lists CGI keys, then each HTTP_* key once in first-arrival order, then the ssgi.* keys")
    func keyOrder() {
        let environ = Environ(
            contentType: "text/plain", contentLength: "5",
            headers: [
                ("Host", "h"), ("Accept", "a"), ("Content-Type", "text/plain"), ("X-B", "1"), ("accept", "b"),
                ("Content-Length", "5"), ("host", "h2"),
            ])
        #expect(
            environ.keys == [
                "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH",
                "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "REMOTE_PORT",
                "HTTP_HOST", "HTTP_ACCEPT", "HTTP_X_B",
                "ssgi.version", "ssgi.url_scheme", "ssgi.input", "ssgi.errors",
                "ssgi.multithread", "ssgi.multiprocess", "ssgi.run_once",
            ])
    }

    @Test("every listed key has a value through the subscript")
    func everyKeyHasValue() {
        let environ = Environ(contentType: "a/b", contentLength: "1", headers: [("Host", "h"), ("X-Y", "z")])
        for key in environ.keys {
            #expect(environ[key] != nil, "no value for \(key)")
        }
    }

    @Test("all pairs every key with its value")
    func allPairs() {
        let environ = Environ(
            requestMethod: "PUT", headers: [("Accept", "a"), ("Accept", "b"), ("Cookie", "c=1")], multithread: true)
        let all = environ.all
        #expect(all.map(\.key) == environ.keys)
        for (key, value) in all {
            #expect(value == environ[key], "value of \(key)")
        }
        let values = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0.value) })
        #expect(values["REQUEST_METHOD"] == "PUT")
        #expect(values["HTTP_ACCEPT"] == "a, b")
        #expect(values["HTTP_COOKIE"] == "c=1")
        #expect(values["ssgi.multithread"] == "true")
    }

    @Test("cgiKey(forHeader:) upper-cases the name, maps '-' to '_' and prefixes HTTP_")
    func cgiKey() {
        #expect(Environ.cgiKey(forHeader: "Host") == "HTTP_HOST")
        #expect(Environ.cgiKey(forHeader: "x-forwarded-for") == "HTTP_X_FORWARDED_FOR")
        #expect(Environ.cgiKey(forHeader: "If-None-Match") == "HTTP_IF_NONE_MATCH")
        #expect(Environ.cgiKey(forHeader: "X-1a") == "HTTP_X_1A")
    }

    @Test("header(_:) finds a header whatever the case of either name")
    func headerLookup() {
        let environ = Environ(headers: [("X-Token", "t"), ("content-type", "text/html")])
        #expect(environ.header("x-token") == "t")
        #expect(environ.header("X-TOKEN") == "t")
        #expect(environ.header("Content-Type") == "text/html")
        #expect(environ.header("X-Missing") == nil)
        #expect(environ.header("X_Token") == nil)
    }

    @Test("contentLength parses CONTENT_LENGTH, nil when absent or not a number")
    func contentLength() {
        #expect(Environ(contentLength: "42").contentLength == 42)
        #expect(Environ(contentLength: "0").contentLength == 0)
        #expect(Environ(contentLength: "").contentLength == nil)
        #expect(Environ(contentLength: "abc").contentLength == nil)
    }
}

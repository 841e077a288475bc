import Foundation
import SwiftServeTesting
import Testing

/// The four example applications, unchanged, through one unchanged swiftserve binary; and each
/// again inside `wsgiref.validate.validator`, which must find nothing.
@Suite("The example applications")
struct ExampleTests {
    static let examples = [
        ("wsgiapp:app", "Hello world from a simple WSGI application!\n"),
        ("flaskapp:app", "Hello world from Flask!\n"),
        ("pyramidapp:app", "Hello world from Pyramid!\n"),
        ("djangoapp:app", "Hello world from Django!\n"),
    ]

    @Test("GET /hello answers text/plain", arguments: ExampleTests.examples)
    func hello(application: String, text: String) throws {
        let server = try PythonServer.start(application)
        defer { server.stop() }
        let response = try server.request("GET", "/hello")
        #expect(response.status == 200, "\(server.log)")
        #expect(response.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(response.bodyText == text)
        #expect(response.header("Content-Length") == String(text.utf8.count))
        #expect(server.log.contains("loaded application 'wsgi'"))
    }

    @Test(
        "wsgiref.validate.validator around each finds nothing, for GET, HEAD, a 404 and a POST",
        arguments: ["validated:wsgi", "validated:flask", "validated:pyramid", "validated:django"])
    func validated(application: String) throws {
        let server = try PythonServer.start(application)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        #expect(try client.exchange("GET", "/hello?x=1").status == 200)
        #expect(try client.exchange("HEAD", "/hello").status == 200)
        let missing = try client.exchange("GET", "/missing", headers: [("Accept", "text/html")])
        #expect([200, 404].contains(missing.status))
        let post = try client.exchange(
            "POST", "/hello", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("a=1&b=2".utf8))
        #expect([200, 403, 405].contains(post.status))
        server.stop()
        for finding in ["AssertionError", "WSGIWarning", "Exception ignored", "Traceback", "Error handling request"] {
            #expect(!server.log.contains(finding), "\(server.log)")
        }
    }

    @Test("the Django form: GET gives a CSRF token and cookie, a POST with them is answered, one without is 403")
    func djangoFormPost() throws {
        let server = try PythonServer.start("djangoapp:app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        let form = try client.exchange("GET", "/greet/")
        #expect(form.status == 200, "\(server.log)")
        let cookie = try #require(form.header("Set-Cookie")?.split(separator: ";").first.map(String.init))
        #expect(cookie.hasPrefix("csrftoken="))
        let page = form.bodyText
        let marker = "name=\"csrfmiddlewaretoken\" value=\""
        let start = try #require(page.range(of: marker)).upperBound
        let token = String(page[start...].prefix { $0 != "\"" })
        let body = Array("csrfmiddlewaretoken=\(token)&name=Ada+Lovelace".utf8)
        let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)]
        let answer = try client.exchange("POST", "/greet/", headers: headers, body: body)
        #expect(answer.status == 200)
        #expect(answer.bodyText == "Hello, Ada Lovelace!\n")
        let refused = try client.exchange(
            "POST", "/greet/", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("name=Mallory".utf8))
        #expect(refused.status == 403)
    }

    @Test("the Flask form POST reads wsgi.input through Werkzeug, also chunked")
    func flaskFormPost() throws {
        let server = try PythonServer.start("flaskapp:app")
        defer { server.stop() }
        let response = try server.request(
            "POST", "/echo", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("name=Grace".utf8))
        #expect(response.bodyText == "Hello, Grace!\n")
        let client = try RawHTTPClient(port: server.port, timeout: 30)
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nname=\r\n6\r\nLinus!\r\n0\r\n\r\n")
        #expect(try client.readResponse().bodyText == "Hello, Linus!!\n")
    }
}

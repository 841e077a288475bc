import Pyramidish
import SSGI
import Testing

@Suite("Response")
struct ResponseTests {
    @Test("Response.json encodes with sorted keys, unescaped slashes and Content-Type application/json")
    func json() async throws {
        let app = try makeApp("/j") { _ in try Response.json(["b": "x/y", "a": "1"], status: .accepted) }
        let response = try await call(app, "/j")
        #expect(response.status == "202 Accepted")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.text == #"{"a":"1","b":"x/y"}"#)
    }

    @Test("text responses are text/html by default, and text types get charset=utf-8")
    func contentTypes() {
        #expect(Response("x").contentType == "text/html; charset=utf-8")
        #expect(Response("x", contentType: "text/plain").contentType == "text/plain; charset=utf-8")
        #expect(Response("x", contentType: "text/plain; charset=latin1").contentType == "text/plain; charset=latin1")
        #expect(Response("x", contentType: "image/svg+xml").contentType == "image/svg+xml")
        #expect(
            Response("x", headers: ["content-type": "text/csv"]).headers.values(for: "Content-Type") == ["text/csv"])
        #expect(Response(body: [1, 2]).contentType == "application/octet-stream")
    }

    @Test("a response goes out by the SDK's rules: Content-Length from the body, hop-by-hop fields dropped and logged")
    func sentByBufferedResponse() async throws {
        let app = try makeApp("/h") { _ in
            Response("héllo", headers: ["Content-Length": "99", "Connection": "close", "X-Kept": "yes"])
        }
        let errors = ErrorLog()
        let response = try await call(app, "/h", errors: errors)
        #expect(response.headers.filter { $0.name.lowercased() == "content-length" }.map(\.value) == ["6"])
        #expect(response.header("Connection") == nil)
        #expect(response.header("X-Kept") == "yes")
        #expect(errors.all == ["Pyramidish: dropped the hop-by-hop header Connection, which belongs to the server"])
    }

    @Test("an HTTPException whose status carries no body has neither body nor Content-Type")
    func bodilessException() async throws {
        for exception in [HTTPException.noContent(), .notModified()] {
            #expect(exception.response.body.isEmpty)
            #expect(exception.response.contentType == nil)
        }
        let app = try makeApp("/empty") { _ in HTTPException.noContent().response }
        let response = try await call(app, "/empty")
        #expect(response.status == "204 No Content")
        #expect(response.header("Content-Length") == nil)
    }

    @Test("a status with a code of its own keeps its reason phrase")
    func customStatus() async throws {
        let app = try makeApp("/tea") { _ in
            Response("short and stout", status: HTTPStatus(418, reasonPhrase: "I'm a teapot"))
        }
        #expect(try await call(app, "/tea").status == "418 I'm a teapot")
    }

    @Test("setCookie and deleteCookie add Set-Cookie fields with the attributes given")
    func setCookie() async throws {
        let app = try makeApp("/login") { _ in
            var response = Response("welcome")
            response.setCookie("session", "a b;c%", maxAge: 3600, secure: true, httpOnly: true, sameSite: .lax)
            response.setCookie("theme", "dark", path: nil)
            response.deleteCookie("old", path: "/app")
            return response
        }
        let response = try await call(app, "/login")
        let cookies = response.headers.filter { $0.name == "Set-Cookie" }.map(\.value)
        #expect(
            cookies == [
                "session=a%20b%3Bc%25; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax",
                "theme=dark",
                "old=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app",
            ])
    }
}

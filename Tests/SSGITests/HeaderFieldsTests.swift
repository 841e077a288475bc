import Testing

@testable import SSGI

/// Header fields looked up without regard to case, and the Set-Cookie headers they can build.
@Suite("HeaderFields")
struct HeaderFieldsTests {
    @Test("setting replaces every field of a name, adding keeps repeats, nil removes")
    func replaceAndAdd() {
        var headers: HeaderFields = ["Vary": "Accept", "X-A": "1", "vary": "Cookie"]
        #expect(headers["VARY"] == "Accept, Cookie")
        headers["Vary"] = "Origin"
        #expect(headers.fields.map(\.name) == ["Vary", "X-A"])
        headers.add("X-A", "2")
        #expect(headers.values(for: "x-a") == ["1", "2"])
        headers["x-a"] = nil
        #expect(!headers.contains("X-A"))
    }

    @Test("Cookie fields join with `; `")
    func cookieJoin() {
        let headers: HeaderFields = ["Cookie": "a=1", "cookie": "b=2"]
        #expect(headers["Cookie"] == "a=1; b=2")
    }

    @Test("setCookie encodes what a cookie cannot hold and writes the attributes in order")
    func setCookie() {
        var headers = HeaderFields()
        headers.setCookie(
            "my id", "a;b", maxAge: 60, path: "/app", domain: "example.com", secure: true, httpOnly: true,
            sameSite: .lax)
        headers.deleteCookie("old")
        #expect(
            headers.values(for: "Set-Cookie") == [
                "my%20id=a%3Bb; Max-Age=60; Path=/app; Domain=example.com; Secure; HttpOnly; SameSite=Lax",
                "old=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
            ])
    }

    @Test("a cookie set with setCookie reads back through Environ.cookies")
    func cookieRoundTrip() {
        var headers = HeaderFields()
        headers.setCookie("name", "Zoë \"quoted\"; 100%")
        let pair = headers["Set-Cookie"]!.split(separator: ";")[0]
        let environ = Environ(headers: [("Cookie", "other=1; " + pair + "; name=shadowed")])
        #expect(environ.cookies == ["other": "1", "name": "Zoë \"quoted\"; 100%"])
    }
}

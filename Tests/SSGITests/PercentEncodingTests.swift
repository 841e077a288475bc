import Testing

@testable import SSGI

/// Percent-decoding of paths and forms, and encoding of path segments, paths, forms and fragments.
@Suite("PercentEncoding")
struct PercentEncodingTests {
    @Test("escapes decode, `+` is a space only in forms, and a broken escape stays as it is")
    func decode() {
        #expect(PercentEncoding.decode("a%20b+c", plusAsSpace: false) == "a b+c")
        #expect(PercentEncoding.decode("a%20b+c", plusAsSpace: true) == "a b c")
        #expect(PercentEncoding.decode("100%", plusAsSpace: true) == "100%")
        #expect(PercentEncoding.decode("%zz%4", plusAsSpace: true) == "%zz%4")
        #expect(PercentEncoding.decode("caf%C3%A9", plusAsSpace: false) == "café")
        #expect(PercentEncoding.decode("%FF", plusAsSpace: false) == "\u{FFFD}")
    }

    @Test("a form keeps order and repeats, skips empty parts, and gives a bare key an empty value")
    func parseForm() {
        let form = PercentEncoding.parseForm("a=1&&b=two+words&a=3&flag&c=%26")
        #expect(form.items.map(\.key) == ["a", "b", "a", "flag", "c"])
        #expect(form.all("a") == ["1", "3"])
        #expect(form["b"] == "two words")
        #expect(form["flag"] == "")
        #expect(form["c"] == "&")
    }

    @Test("encoding a form and parsing it back gives the same pairs")
    func formRoundTrip() {
        let form: MultiDict = ["q": "a b&c=d", "é": "+/"]
        let encoded = PercentEncoding.encodeForm(form)
        #expect(encoded == "q=a+b%26c%3Dd&%C3%A9=%2B%2F")
        #expect(PercentEncoding.parseForm(encoded[...]) == form)
    }

    @Test("a segment escapes `/`, a path keeps it, a fragment keeps `?`")
    func encodePaths() {
        #expect(PercentEncoding.encodePathSegment("a/b c") == "a%2Fb%20c")
        #expect(PercentEncoding.encodePath("/a/b c:@") == "/a/b%20c:@")
        #expect(PercentEncoding.encodeFragment("top?x y") == "top?x%20y")
        #expect(PercentEncoding.encodePath("/plain") == "/plain")
    }

    @Test(
        "decodedBytes decodes %XX and leaves a % without two hex digits as it is",
        arguments: [
            ("/a%20b", "/a b"), ("%2F", "/"), ("%zz", "%zz"), ("/a%4", "/a%4"), ("/a%", "/a%"), ("%2f%2F", "//"),
            ("%4a%4A", "JJ"), ("/plain", "/plain"), ("%%41", "%A"), ("/%41", "/A"),
        ])
    func decodedBytes(path: String, expected: String) {
        #expect(PercentEncoding.decodedBytes(path.utf8) == Array(expected.utf8))
    }

    @Test("decodedBytes yields raw bytes, not necessarily UTF-8")
    func decodedBytesAreRaw() {
        #expect(PercentEncoding.decodedBytes("%C3%A9%FF%00".utf8) == [0xC3, 0xA9, 0xFF, 0x00])
    }
}

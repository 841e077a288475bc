import Testing

@testable import SwiftServe

/// What the forwarding headers of a trusted proxy establish.
@Suite("ForwardedHeaders")
struct ForwardedHeadersTests {
    /// What `headers` establish from a peer that `list` trusts, believing `fields` (all of them
    /// unless told, so that each rule is tested alone).
    static func resolve(
        _ headers: [(String, String)], trusting list: String = "127.0.0.1,::1,10.0.0.0/8",
        believing fields: ForwardedFields = .all
    ) throws -> ForwardedHeaders.Resolution {
        var forwarded = ForwardedHeaders()
        for (name, value) in headers { forwarded.consider(name: name, value: value) }
        return forwarded.resolve(trusting: try TrustedProxies(parsing: list, believing: fields))
    }

    @Test(
        "by default only X-Forwarded-For and X-Forwarded-Proto are believed: Forwarded and X-Forwarded-Host change nothing"
    )
    func defaultFields() throws {
        let headers = [
            ("Forwarded", "for=7.7.7.7;proto=https;host=evil.example"), ("X-Forwarded-Host", "evil.example:1234"),
        ]
        #expect(try Self.resolve(headers, believing: .default) == ForwardedHeaders.Resolution())
        let mixed = try Self.resolve(
            headers + [("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https")], believing: .default)
        #expect(mixed == ForwardedHeaders.Resolution(remoteAddr: "203.0.113.9", remotePort: "", urlScheme: "https"))
        // Each field counts only when named.
        #expect(try Self.resolve(headers, believing: .xForwardedHost).host == "evil.example:1234")
        #expect(try Self.resolve(headers, believing: .forwarded).remoteAddr == "7.7.7.7")
        #expect(try Self.resolve([("X-Forwarded-For", "203.0.113.9")], believing: .xForwardedProto).remoteAddr == nil)
        #expect(try Self.resolve([("X-Forwarded-Proto", "https")], believing: .xForwardedFor).urlScheme == nil)
    }

    @Test(
        "--forwarded-headers parses names in any case, or none, and refuses others by name",
        arguments: [
            ("x-forwarded-for,x-forwarded-proto", ForwardedFields.default), ("none", ForwardedFields()),
            ("", ForwardedFields()),
            (" Forwarded , X-Forwarded-Host ", ForwardedFields([.forwarded, .xForwardedHost])),
            ("forwarded,x-forwarded-for,x-forwarded-proto,x-forwarded-host", ForwardedFields.all),
        ])
    func parsing(list: String, fields: ForwardedFields) throws {
        #expect(try ForwardedFields(parsing: list) == fields)
        #expect(try ForwardedFields(parsing: fields.description) == fields)
    }

    @Test("an unknown forwarding header is refused with the names swiftserve reads")
    func unknownField() {
        #expect {
            try ForwardedFields(parsing: "x-forwarded-for,x-real-ip")
        } throws: { error in
            "\(error)"
                == "'x-real-ip' is not a forwarding header swiftserve reads: give some of forwarded, x-forwarded-for, x-forwarded-proto, x-forwarded-host, or none"
        }
    }

    @Test("the client is the rightmost X-Forwarded-For address that is not a trusted proxy")
    func rightmostUntrusted() throws {
        #expect(try Self.resolve([("X-Forwarded-For", "203.0.113.9")]).remoteAddr == "203.0.113.9")
        // A client's own X-Forwarded-For, appended to by the proxy, does not choose the address.
        #expect(try Self.resolve([("X-Forwarded-For", "6.6.6.6, 203.0.113.9")]).remoteAddr == "203.0.113.9")
        #expect(try Self.resolve([("X-Forwarded-For", "6.6.6.6, 203.0.113.9, 10.1.1.1")]).remoteAddr == "203.0.113.9")
        #expect(
            try Self.resolve([("x-forwarded-for", "6.6.6.6"), ("X-Forwarded-For", "10.0.0.3")]).remoteAddr == "6.6.6.6")
        // All trusted: the leftmost.
        #expect(try Self.resolve([("X-Forwarded-For", "10.0.0.2, 10.0.0.3")]).remoteAddr == "10.0.0.2")
    }

    @Test("an X-Forwarded-For entry that is not an address stops the walk and changes nothing")
    func malformedEntry() throws {
        #expect(try Self.resolve([("X-Forwarded-For", "203.0.113.9, garbage")]).remoteAddr == nil)
        #expect(try Self.resolve([("X-Forwarded-For", "unknown")]).remoteAddr == nil)
        #expect(try Self.resolve([("X-Forwarded-For", "")]).remoteAddr == nil)
    }

    @Test("addresses may carry ports and IPv6 brackets, and are given in canonical form")
    func addressForms() throws {
        let withPort = try Self.resolve([("X-Forwarded-For", "203.0.113.9:4711")])
        #expect(withPort.remoteAddr == "203.0.113.9")
        #expect(withPort.remotePort == "4711")
        #expect(try Self.resolve([("X-Forwarded-For", "2001:0db8::0001")]).remoteAddr == "2001:db8::1")
        #expect(try Self.resolve([("X-Forwarded-For", "[2001:db8::1]:80")]).remotePort == "80")
        #expect(try Self.resolve([("X-Forwarded-For", "203.0.113.9")]).remotePort == "")
    }

    @Test("X-Forwarded-Proto is http or https; X-Forwarded-Host is host[:port]")
    func protoAndHost() throws {
        let resolution = try Self.resolve([("X-Forwarded-Proto", "HTTPS"), ("X-Forwarded-Host", "example.com:8443")])
        #expect(resolution.urlScheme == "https")
        #expect(resolution.host == "example.com:8443")
        #expect(try Self.resolve([("X-Forwarded-Proto", "gopher")]).urlScheme == nil)
        #expect(try Self.resolve([("X-Forwarded-Host", "evil.com/path")]).host == nil)
        #expect(try Self.resolve([("X-Forwarded-Host", "a b")]).host == nil)
    }

    @Test("lists of proto and host go with the chosen address when as long, else the last entry counts")
    func alignedLists() throws {
        let aligned = try Self.resolve([
            ("X-Forwarded-For", "203.0.113.9, 10.0.0.5"), ("X-Forwarded-Proto", "https, http"),
            ("X-Forwarded-Host", "public.example, internal"),
        ])
        #expect(aligned.remoteAddr == "203.0.113.9")
        #expect(aligned.urlScheme == "https")
        #expect(aligned.host == "public.example")
        let unaligned = try Self.resolve([
            ("X-Forwarded-For", "203.0.113.9, 10.0.0.5"), ("X-Forwarded-Proto", "http, https, http"),
        ])
        #expect(unaligned.urlScheme == "http")
    }

    @Test("Forwarded (RFC 7239): for, proto and host of the element of the first untrusted hop")
    func forwarded() throws {
        let single = try Self.resolve([("Forwarded", #"for="[2001:db8:cafe::17]:4711";proto=https;host="example.com""#)]
        )
        #expect(single.remoteAddr == "2001:db8:cafe::17")
        #expect(single.remotePort == "4711")
        #expect(single.urlScheme == "https")
        #expect(single.host == "example.com")
        let chain = try Self.resolve([
            ("Forwarded", "for=6.6.6.6;proto=http, For=192.0.2.60;Proto=https;by=203.0.113.43, for=10.0.0.9;proto=http")
        ])
        #expect(chain.remoteAddr == "192.0.2.60")
        #expect(chain.urlScheme == "https")
    }

    @Test("Forwarded wins over X-Forwarded-*; an obfuscated node gives no address")
    func forwardedPrecedence() throws {
        let both = try Self.resolve([("X-Forwarded-For", "198.51.100.1"), ("Forwarded", "for=192.0.2.60")])
        #expect(both.remoteAddr == "192.0.2.60")
        let hidden = try Self.resolve([("Forwarded", "for=_hidden;proto=https")])
        #expect(hidden.remoteAddr == nil)
        #expect(hidden.urlScheme == "https")
    }

    @Test("quoted commas do not split Forwarded elements")
    func quotedCommas() {
        #expect(
            ForwardedHeaders.elements([#"for="a,b";proto=http, for=1.2.3.4"#]) == [
                #"for="a,b";proto=http"#, "for=1.2.3.4",
            ])
    }
}

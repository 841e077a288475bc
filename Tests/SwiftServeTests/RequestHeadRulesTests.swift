import NIOHTTP1
import Testing

@testable import SwiftServe

/// The checks on a parsed request head, without sockets (the end-to-end suite "Request framing
/// rules" sends the same cases over the wire).
@Suite("RequestHeadRules")
struct RequestHeadRulesTests {
    static func head(
        _ headers: [(String, String)], method: HTTPMethod = .POST, uri: String = "/", version: HTTPVersion = .http1_1
    ) -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    @Test(
        "Transfer-Encoding lists: chunked alone and last is served, a malformed list is 400, another coding 501",
        arguments: [
            (["chunked"], TransferCodings.Verdict.chunked), (["Chunked "], .chunked),
            (["gzip, chunked"], .unknownCoding),
            (["gzip", "chunked"], .unknownCoding), (["gzip"], .unknownCoding), (["chunked, gzip"], .malformed),
            (["chunked", "chunked"], .malformed), (["chunked;a=b"], .malformed), ([""], .malformed),
            (["chunked,"], .malformed), (["x y"], .malformed), ([], .none),
        ])
    func transferCodings(values: [String], verdict: TransferCodings.Verdict) {
        var codings = TransferCodings()
        values.forEach { codings.add($0) }
        #expect(codings.verdict == verdict)
    }

    @Test("each framing and routing rule gives its own refusal")
    func refusals() {
        let cases: [(HTTPRequestHead, RequestRefusal?)] = [
            (Self.head([("Host", "h"), ("Content-Length", "5")]), nil),
            (Self.head([("Host", "h"), ("Transfer-Encoding", "chunked")]), nil),
            (
                Self.head([("Host", "h"), ("Content-Length", "5"), ("Transfer-Encoding", "chunked")]),
                .contentLengthWithTransferEncoding
            ),
            (Self.head([("Transfer-Encoding", "chunked")], version: .http1_0), .transferEncodingInHTTP10),
            (Self.head([("Host", "h"), ("Transfer-Encoding", "chunked, gzip")]), .malformedTransferEncoding),
            (Self.head([("Host", "h"), ("Transfer-Encoding", "gzip")]), .unknownTransferCoding),
            (Self.head([("Host", "h"), ("Content-Length", "5"), ("content-length", "5")]), .severalContentLengths),
            (Self.head([("Host", "h"), ("Content-Length", "+5")]), .invalidContentLength),
            (Self.head([("Host", "a"), ("Host", "b")], method: .GET), .severalHosts),
            (Self.head([("Host", "a"), ("Host", "b")], method: .GET, version: .http1_0), .severalHosts),
            (Self.head([], method: .GET), .missingHost),
            (Self.head([], method: .GET, version: .http1_0), nil),
            (Self.head([("Host", "a b")], method: .GET), .invalidHost),
            (Self.head([("Host", "h")], method: .GET, uri: "*"), .asteriskTargetWithoutOptions),
            (Self.head([("Host", "h")], method: .OPTIONS, uri: "*"), nil),
            (Self.head([("Host", "h")], method: .GET, uri: "/a#b"), .fragmentInTarget),
        ]
        for (head, refusal) in cases {
            #expect(RequestHeadRules.refusal(of: head) == refusal, "\(head)")
        }
    }

    @Test(
        "Host is host[:port]: a reg-name, IPv4 or bracketed IPv6, and a port up to 65535",
        arguments: [
            ("example.com", true), ("example.com:8080", true), ("127.0.0.1:80", true), ("[::1]", true),
            ("[::1]:9000", true), ("", true), ("a:", true), ("xn--bcher-kva.example", true), ("a b", false),
            ("a/b", false), ("u@a", false), ("a:b:c", false), ("[::1", false), ("[]", false), ("[::1]x", false),
            ("a:65536", false), ("a:123456", false), ("a:-1", false),
        ])
    func host(value: String, valid: Bool) {
        #expect(RequestHeadRules.isHost(value) == valid)
    }

    @Test(
        "Content-Length is plain digits, surrounding whitespace aside",
        arguments: [
            ("0", true), ("5", true), ("007", true), (" 5\t", true), ("+1", false), ("-0", false), ("0_1", false),
            ("5, 5", false), ("0x5", false), ("", false), ("1 2", false), ("1234567890123456789", false),
        ])
    func contentLength(value: String, valid: Bool) {
        #expect(RequestHeadRules.isContentLength(value) == valid)
    }

    @Test(
        "each request target form is allowed where RFC 9112 §3.2 allows it, and refused elsewhere",
        arguments: [
            (HTTPMethod.GET, "/", nil), (.GET, "/a?b=c", nil), (.OPTIONS, "*", nil),
            (.GET, "*", .asteriskTargetWithoutOptions), (.OPTIONS, "*/x", .malformedAsteriskTarget),
            (.GET, "http://example.com/p?q", nil), (.GET, "HTTPS://Example.com:8443", nil),
            (.GET, "http://example.com?q", nil), (.GET, "http://[::1]:80/", nil), (.GET, "http://example.com:/", nil),
            (.PUT, "s://]ufd/:", .malformedAbsoluteTarget), (.GET, "ftp://example.com/", .malformedAbsoluteTarget),
            (.GET, "http://", .malformedAbsoluteTarget), (.GET, "http:///p", .malformedAbsoluteTarget),
            (.GET, "http://:80/", .malformedAbsoluteTarget), (.GET, "http://u@example.com/", .malformedAbsoluteTarget),
            (.GET, "http://[::1/", .malformedAbsoluteTarget), (.GET, "http://a:b:c/", .malformedAbsoluteTarget),
            (.GET, "http://example.com:65536/", .malformedAbsoluteTarget), (.GET, "http:/x", .malformedAbsoluteTarget),
            (.GET, "example.com:443", .malformedAbsoluteTarget),
            (.CONNECT, "example.com:443", nil), (.CONNECT, "[::1]:443", nil), (.CONNECT, "10.0.0.1:8080", nil),
            (.CONNECT, "example.com", .malformedConnectTarget), (.CONNECT, "example.com:", .malformedConnectTarget),
            (.CONNECT, ":443", .malformedConnectTarget), (.CONNECT, "/", .malformedConnectTarget),
            (.CONNECT, "http://example.com/", .malformedConnectTarget), (.CONNECT, "[::1]", .malformedConnectTarget),
            (.CONNECT, "*", .malformedConnectTarget),
        ] as [(HTTPMethod, String, RequestRefusal?)])
    func targetForms(method: HTTPMethod, target: String, refusal: RequestRefusal?) {
        #expect(RequestHeadRules.refusal(ofTarget: target, method: method) == refusal)
    }

    @Test("trailers that frame or route are refused; others pass")
    func trailers() {
        #expect(RequestHeadRules.refusal(ofTrailers: ["X-Checksum": "1"]) == nil)
        for name in ["Content-Length", "transfer-encoding", "HOST"] {
            #expect(RequestHeadRules.refusal(ofTrailers: HTTPHeaders([(name, "1")])) == .framingFieldInTrailers)
        }
    }
}

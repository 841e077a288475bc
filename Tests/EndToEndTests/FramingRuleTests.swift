import SwiftServeTesting
import Testing

/// docs/SPEC.md §14.1, one test per rule: a request whose framing or routing is ambiguous is
/// answered by the server itself (400, or 501 for a transfer coding it does not implement), never
/// reaches the application, and its connection is closed. Each request goes to the `environ`
/// example, which reads the whole body and would answer 200 with its environ.
@Suite("Request framing rules")
struct FramingRuleTests {
    static let chunkedPost = "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"

    // MARK: Body framing

    @Test("Content-Length together with Transfer-Encoding is refused with 400")
    func contentLengthWithTransferEncoding() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
            ])
    }

    @Test("a transfer coding list where chunked is not last, is repeated, or is malformed is refused with 400")
    func malformedTransferCodingList() throws {
        let requests = [
            "chunked, gzip", "chunked, chunked", "chunked;q=1", "chunked,", ", chunked", "", "chun ked",
        ].map { "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: \($0)\r\n\r\n0\r\n\r\n" }
        try Self.expectRefusal(
            status: 400,
            requests + [
                "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            ])
    }

    @Test("a transfer coding other than chunked is refused with 501")
    func unknownTransferCoding() throws {
        let requests = ["gzip", "gzip, chunked", "identity", "xchunked"].map {
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: \($0)\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        }
        try Self.expectRefusal(
            status: 501,
            requests + [
                "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            ])
    }

    @Test("Transfer-Encoding in an HTTP/1.0 request is refused with 400")
    func transferEncodingInHTTP10() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "POST / HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            ])
    }

    @Test("more than one Content-Length is refused with 400, even with equal values")
    func severalContentLengths() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
                "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            ])
    }

    @Test("a Content-Length that is not plain digits is refused with 400")
    func invalidContentLength() throws {
        let values = ["+1", "-0", "0_1", "5, 5", "0x5", "", "1 2", "5a", "99999999999999999999"]
        try Self.expectRefusal(
            status: 400, values.map { "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \($0)\r\n\r\nhello" })
    }

    @Test("a chunk size that is not plain hex is refused with 400")
    func chunkSizeNotPlainHex() throws {
        let sizes = ["+5", "-5", "0x5", "0_5", " 5", "5 ", "5\t", "5 ;ext", "", ";ext", "g", "fffffffffffffffff"]
        try Self.expectRefusal(status: 400, sizes.map { Self.chunkedPost + "\($0)\r\nhello\r\n0\r\n\r\n" })
    }

    @Test("a bare CR or LF in a chunk line, or after chunk data, is refused with 400")
    func bareLineBreakInChunkLine() throws {
        let bodies = [
            "5\nhello\r\n0\r\n\r\n", "5;a\rb\r\nhello\r\n0\r\n\r\n", "5;a\nb\r\nhello\r\n0\r\n\r\n",
            "5\r\nhello\n0\r\n\r\n", "5\r\nhelloX\r\n0\r\n\r\n", "5\r\nhello\r\n0\n\r\n", "5\r\nhello\r\n0\r\n\n",
        ]
        try Self.expectRefusal(status: 400, bodies.map { Self.chunkedPost + $0 })
    }

    @Test("a trailer field that is Content-Length, Transfer-Encoding or Host is refused with 400")
    func framingFieldInTrailers() throws {
        let trailers = ["Content-Length: 5", "Transfer-Encoding: chunked", "Host: elsewhere.example", "HOST: a"]
        try Self.expectRefusal(status: 400, trailers.map { Self.chunkedPost + "5\r\nhello\r\n0\r\n\($0)\r\n\r\n" })
    }

    // MARK: Field syntax

    @Test("a bare LF as a line ending is refused with 400")
    func bareLineFeed() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "GET / HTTP/1.1\nHost: localhost\n\n",
                "GET / HTTP/1.1\r\nHost: localhost\nX-A: b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: localhost\r\n\n",
                "GET / HTTP/1.1\r\nHost: localhost\rX-A: b\r\n\r\n",
                Self.chunkedPost + "5\r\nhello\r\n0\r\nX-Trailer: a\n\r\n",
            ])
    }

    @Test("obsolete line folding is refused with 400, in the head and in trailers")
    func obsoleteLineFolding() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\r\n b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\r\n\tb\r\n\r\n",
                Self.chunkedPost + "5\r\nhello\r\n0\r\nX-Trailer: a\r\n b\r\n\r\n",
            ])
    }

    @Test("NUL or another control character in a field value is refused with 400")
    func controlCharacterInFieldValue() throws {
        let values = ["a\u{0}b", "a\u{1}b", "a\u{7F}b", "a\rb", "a\u{1B}b"]
        try Self.expectRefusal(
            status: 400,
            values.map { "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: \($0)\r\n\r\n" } + [
                Self.chunkedPost + "5\r\nhello\r\n0\r\nX-Trailer: a\u{0}b\r\n\r\n"
            ])
    }

    @Test("whitespace between a field name and its colon is refused with 400")
    func whitespaceBeforeColon() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "GET / HTTP/1.1\r\nHost: localhost\r\nX-A : b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: localhost\r\nX-A\t: b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost : localhost\r\n\r\n",
                Self.chunkedPost + "5\r\nhello\r\n0\r\nX-Trailer : a\r\n\r\n",
            ])
    }

    @Test("a field name that is not a token is refused with 400")
    func invalidFieldName() throws {
        let names = ["X A", "X(A)", "X@A", "X/A", "X\u{80}A", "", "X,A", "X[A]", "X\"A", "X{A}", "X=A", "X;A"]
        try Self.expectRefusal(
            status: 400,
            names.map { "GET / HTTP/1.1\r\nHost: localhost\r\n\($0): b\r\n\r\n" } + [
                "GET / HTTP/1.1\r\nHost: localhost\r\nNoColon\r\n\r\n"
            ])
    }

    // MARK: Routing

    @Test("an HTTP/1.1 request without Host is refused with 400")
    func missingHost() throws {
        try Self.expectRefusal(status: 400, ["GET / HTTP/1.1\r\n\r\n", "GET http://example.com/ HTTP/1.1\r\n\r\n"])
    }

    @Test("more than one Host is refused with 400, in HTTP/1.1 and HTTP/1.0")
    func severalHosts() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n",
                "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
            ])
    }

    @Test("a Host that is not host[:port] is refused with 400")
    func invalidHost() throws {
        let hosts = ["a b", "a/b", "user@a", "a:b:c", "[::1", "[::1]x", "a:99999", "a:8x", "a?b", "a#b"]
        try Self.expectRefusal(status: 400, hosts.map { "GET / HTTP/1.1\r\nHost: \($0)\r\n\r\n" })
    }

    @Test("the request target * on a method other than OPTIONS is refused with 400")
    func asteriskTargetWithoutOptions() throws {
        try Self.expectRefusal(
            status: 400,
            [
                "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n", "HEAD * HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "POST * HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
            ])
    }

    @Test("a malformed absolute-form target is refused with 400 (RFC 9112 §3.2.2)")
    func malformedAbsoluteForm() throws {
        let targets = [
            "s://]ufd/:", "http://]ufd/", "http://", "http:///p", "http://?q", "http://[::1/", "http://[::1]x/",
            "http://a:b:c/", "http://user@example.com/", "http://example.com:99999/", "http://example.com:8x/",
            "ftp://example.com/", "mailto1://example.com/",
        ]
        try Self.expectRefusal(
            status: 400,
            targets.map { "PUT \($0) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n" }
                + targets.map { "GET \($0) HTTP/1.1\r\nHost: localhost\r\n\r\n" })
    }

    @Test(
        "authority-form outside CONNECT, and a CONNECT target that is not host:port, are refused with 400 (RFC 9112 §3.2.3)"
    )
    func malformedAuthorityForm() throws {
        let connectTargets = [
            "example.com", "example.com:", ":443", "/path", "http://example.com/", "*", "user@example.com:443",
            "example.com:99999", "[::1:443", "example.com:443/x",
        ]
        try Self.expectRefusal(
            status: 400,
            connectTargets.map { "CONNECT \($0) HTTP/1.1\r\nHost: localhost\r\n\r\n" } + [
                "GET example.com:443 HTTP/1.1\r\nHost: localhost\r\n\r\n"
            ])
    }

    @Test("an asterisk-form target other than a lone * is refused with 400 (RFC 9112 §3.2.4)")
    func malformedAsteriskForm() throws {
        try Self.expectRefusal(
            status: 400,
            ["*/x", "*?a", "**"].map { "OPTIONS \($0) HTTP/1.1\r\nHost: localhost\r\n\r\n" })
    }

    @Test("a request target with a fragment is refused with 400")
    func fragmentInTarget() throws {
        try Self.expectRefusal(
            status: 400,
            ["GET /a#b HTTP/1.1\r\nHost: localhost\r\n\r\n", "GET /?q=1# HTTP/1.1\r\nHost: localhost\r\n\r\n"])
    }

    // MARK: Closing

    @Test("a refused request after a served one is answered in order, then the connection closes")
    func refusalAfterPipelinedRequest() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let good = "GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n"
        let bad = [
            "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nX A: b\r\n\r\n",
            Self.chunkedPost + "5\r\nhello\r\nzz\r\n",
            Self.chunkedPost
                + "5\r\nhello\r\n0\r\nHost: elsewhere\r\n\r\nGET /never HTTP/1.1\r\nHost: localhost\r\n\r\n",
        ]
        for request in bad {
            let client = try RawHTTPClient(port: server.port)
            try client.send(good + good + request)
            #expect(try client.readResponse().status == 200)
            #expect(try client.readResponse().status == 200)
            let refusal = try client.readResponse()
            #expect(refusal.status == 400, "\(request.debugDescription)")
            #expect(refusal.header("Connection") == "close")
            #expect(client.serverCloses(), "\(request.debugDescription)")
        }
    }

    @Test("a malformed body the application was reading is answered 400 by the server, and the read fails")
    func malformedBodyWhileReading() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"), arguments: ["--log-level", "debug"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(Self.chunkedPost + "5\r\nhello\r\n")
        try client.send("zz\r\n")
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.bodyText == "Bad Request\n")
        #expect(client.serverCloses() || client.peerClosed)
        #expect(server.waitForLog("invalid character in chunk size"))
    }

    // MARK: What stays allowed

    @Test("framings the rules allow are served")
    func allowedFramings() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let requests = [
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked \r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 005\r\n\r\nhello",
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length:\t5 \r\n\r\nhello",
            Self.chunkedPost + "5;name=value;quoted=\"a b\"\r\nhello\r\n0\r\n\r\n",
            Self.chunkedPost + "5\r\nhello\r\n0\r\nX-Checksum: 1234\r\n\r\n",
            Self.chunkedPost + "0005\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \r\n\r\n",
            "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
            "GET http://example.com/p HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "GET HTTPS://Example.com:8443/p?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "GET http://example.com?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
            "GET http://[::1]:8080/p HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET http://127.0.0.1/ HTTP/1.0\r\n\r\n",
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
            "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: tab\there, obs-text \u{E9}\r\n\r\n",
        ]
        for request in requests {
            let client = try RawHTTPClient(port: server.port)
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.status == 200, "\(request.debugDescription): \(response.bodyText)")
        }
    }

    /// Sends each request on a connection of its own and expects the server's own answer: `status`
    /// with its short text body and `Connection: close`, then the connection closed.
    static func expectRefusal(
        status: Int, _ requests: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        for request in requests {
            let client = try RawHTTPClient(port: server.port)
            try client.send(Array(request.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }))
            let response = try client.readResponse(forHead: request.hasPrefix("HEAD "))
            let label = Comment(rawValue: request.debugDescription)
            #expect(response.status == status, label, sourceLocation: sourceLocation)
            if !request.hasPrefix("HEAD ") {
                #expect(response.bodyText == "\(response.reason)\n", label, sourceLocation: sourceLocation)
            }
            #expect(response.header("Connection") == "close", label, sourceLocation: sourceLocation)
            #expect(client.serverCloses() || client.peerClosed, label, sourceLocation: sourceLocation)
        }
    }
}

import NIOCore
import ParserDifferential
import Testing

@testable import SwiftServe

/// The request parser reads what SwiftNIO's llhttp-based parser reads, piece by piece, and
/// refuses what it refuses; its own stricter rules refuse only what they name.
@Suite("RequestParser")
struct RequestParserTests {
    /// Requests of every shape the server meets, valid and not, each read in pieces of several
    /// sizes by both parsers.
    static let requests: [String] = [
        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /hello?x=1#f HTTP/1.1\r\nHost: 127.0.0.1:8888\r\nAccept: */*\r\n\r\n",
        "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b;c=\"d\\\"e\"\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 \r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nHost: b\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\n\n",
        "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\r\nHo\u{1}st: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n",
        "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: \u{FF}\u{80}\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n\r\n\r\n",
        "GET / HTTP/1.1\r\nConnection: close\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nConnection: Keep-Alive, CLOSE\r\n\r\n",
        "GET / HTTP/1.1\r\nConnection: close x, upgrade\r\nUpgrade: websocket\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\nGARBAGE",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\nanything",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://user@example.com:80/p?q HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://a@@b/ HTTP/1.1\r\n\r\n",
        "GET ftp:/x HTTP/1.1\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / HTTP/1.2\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "get / HTTP/1.1\r\n\r\n",
        "GETX / HTTP/1.1\r\n\r\n",
        "M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n",
        "QUERY / HTTP/1.1\r\nHost: a\r\n\r\n",
        "DESCRIBE / HTTP/1.1\r\n\r\n",
        "GET   /   HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: \t a \t\r\n\r\n",
        "GET /a b HTTP/1.1\r\n\r\n",
        "GET /\u{7F} HTTP/1.1\r\n\r\n",
        "GET /a\tb HTTP/1.1\r\n\r\n",
        "THIS IS NOT HTTP\r\n\r\n",
    ]

    @Test("every request is read as SwiftNIO's parser reads it, whole and in pieces", arguments: [0, 1, 2, 3, 7, 16])
    func agreesWithSwiftNIO(pieceSize: Int) {
        for request in Self.requests {
            let difference = ParserDifferential.compare(Array(request.utf8), pieceSize: pieceSize)
            #expect(difference == nil, "\(request.debugDescription): \(difference ?? "")")
        }
    }

    @Test("a simple GET: its parts, no body, then the end")
    func simpleGet() {
        var parser = RequestParser(limits: RequestLimits())
        var input = ByteBuffer(string: "GET /hello?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        guard case .head = parser.next(&input) else {
            Issue.record("no head")
            return
        }
        let strings = parser.head.strings(in: input)
        #expect(strings.method == "GET")
        #expect(strings.target == "/hello?x=1")
        #expect(strings.fields.map { "\($0.name)=\($0.value)" } == ["Host=example.com", "Accept=*/*"])
        #expect(parser.head.keepAlive)
        #expect(parser.head.framing == .none)
        guard case .end = parser.next(&input) else {
            Issue.record("no end")
            return
        }
        guard case .needMoreBytes = parser.next(&input) else {
            Issue.record("more than one request")
            return
        }
        #expect(input.readableBytes == 0)
    }

    @Test("a pipelined request waits in the buffer until the parser is asked for it")
    func pipelinedRequestWaits() {
        var parser = RequestParser(limits: RequestLimits())
        let second = "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
        var input = ByteBuffer(string: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi" + second)
        guard case .head = parser.next(&input), case .body(let body) = parser.next(&input),
            case .end = parser.next(&input)
        else {
            Issue.record("the first request was not read")
            return
        }
        #expect(String(buffer: body) == "hi")
        #expect(String(buffer: input) == second)
    }

    @Test("a request line over the limit is refused with the server's rule, not llhttp's")
    func requestLineLimit() {
        let request = "GET /\(String(repeating: "a", count: 8200)) HTTP/1.1\r\n\r\n"
        var parser = RequestParser(limits: RequestLimits())
        var input = ByteBuffer(string: request)
        guard case .error(let error) = parser.next(&input) else {
            Issue.record("not refused")
            return
        }
        #expect(error.rule == .requestLineTooLong)
        #expect(ParserDifferential.compare(Array(request.utf8), pieceSize: 100) == nil)
    }

    @Test("spaces that would grow a request line past the limit are refused before they are all kept")
    func spacesInRequestLine() {
        var parser = RequestParser(limits: RequestLimits())
        var input = ByteBuffer(string: "GET " + String(repeating: " ", count: 9000))
        guard case .error(let error) = parser.next(&input) else {
            Issue.record("not refused")
            return
        }
        #expect(error.rule == .requestLineTooLong)
    }

    @Test("more than 100 fields, or a field over 8190 bytes, are refused with the server's rules")
    func fieldLimits() {
        let many = "GET / HTTP/1.1\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        let large = "GET / HTTP/1.1\r\nX-Big: \(String(repeating: "b", count: 8200))\r\n\r\n"
        let atLimit = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 8190 - 5))\r\n\r\n"
        for (request, rule) in [(many, RequestParseError.Rule.tooManyFields), (large, .fieldTooLarge)] {
            var parser = RequestParser(limits: RequestLimits())
            var input = ByteBuffer(string: request)
            guard case .error(let error) = parser.next(&input) else {
                Issue.record("not refused")
                continue
            }
            #expect(error.rule == rule)
            #expect(ParserDifferential.compare(Array(request.utf8), pieceSize: 64) == nil)
            // SwiftNIO reads on past the refused request, the server does not: no disagreement.
            let followed = request + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"
            #expect(ParserDifferential.compare(Array(followed.utf8), pieceSize: 0) == nil)
        }
        var parser = RequestParser(limits: RequestLimits())
        var input = ByteBuffer(string: atLimit)
        guard case .head = parser.next(&input) else {
            Issue.record("a field of 8190 bytes was refused")
            return
        }
    }

    @Test("an RTSP request line is refused: the server serves HTTP only")
    func rtspRefused() {
        let request = "DESCRIBE / RTSP/1.0\r\nCSeq: 1\r\n\r\n"
        var parser = RequestParser(limits: RequestLimits())
        var input = ByteBuffer(string: request)
        guard case .error(let error) = parser.next(&input) else {
            Issue.record("not refused")
            return
        }
        #expect(error.rule == .notHTTP)
        #expect(ParserDifferential.compare(Array(request.utf8), pieceSize: 0) == nil)
    }
}

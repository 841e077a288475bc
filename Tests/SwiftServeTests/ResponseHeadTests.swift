import CSSGI
import NIOCore
import Testing

@testable import SwiftServe

/// `start_response` arguments as the server checks them.
@Suite("ResponseHead")
struct ResponseHeadTests {
    typealias Headers = [(name: [UInt8], value: [UInt8])]

    static func head(_ status: String, _ headers: [(String, String)] = []) throws(ResponseHead.Violation)
        -> ResponseHead
    {
        try self.head(status: Array(status.utf8), headers.map { (name: Array($0.0.utf8), value: Array($0.1.utf8)) })
    }

    static func head(status: [UInt8], _ headers: Headers) throws(ResponseHead.Violation) -> ResponseHead {
        try ResponseHead(status: status, headers: headers)
    }

    @Test(
        "a status of three digits, a space and a reason is accepted",
        arguments: [("200 OK", 200), ("404 Not Found", 404), ("599 ", 599), ("100 Continue", 100), ("999 x\ty", 999)])
    func validStatus(status: String, code: Int) throws {
        let head = try Self.head(status)
        #expect(head.statusCode == code)
        #expect(String(decoding: head.status, as: UTF8.self) == status)
    }

    @Test(
        "any other status is refused as an invalid status",
        arguments: [
            "200", "20 OK", "2000 OK", "099 x", "200\tOK", "200 OK\r\n", "abc OK", "", "200OK", "2a0 OK",
            "200 O\u{7F}K",
        ])
    func invalidStatus(status: String) {
        #expect(throws: ResponseHead.Violation.invalidStatus) { try Self.head(status) }
    }

    @Test("header names must be tokens", arguments: ["Bad Name", "", "Na:me", "Name\r", "N(a)me", "Nä"])
    func invalidName(name: String) {
        #expect(throws: ResponseHead.Violation.invalidHeader) { try Self.head("200 OK", [(name, "v")]) }
    }

    @Test("names made of any token characters are accepted")
    func tokenNames() throws {
        let head = try Self.head("200 OK", [("X-a_b.c!#$%&'*+^`|~9", "v")])
        #expect(String(decoding: head.headerLines, as: UTF8.self) == "X-a_b.c!#$%&'*+^`|~9: v\r\n")
    }

    @Test(
        "header values refuse CR, LF, NUL and other control characters",
        arguments: ["a\rb", "a\nb", "a\0b", "a\u{1}b", "a\u{1F}b", "a\u{7F}b", "v\r\nX-Injected: 1"])
    func invalidValue(value: String) {
        #expect(throws: ResponseHead.Violation.invalidHeader) { try Self.head("200 OK", [("X-A", value)]) }
    }

    @Test("header values may hold tabs, and may be empty")
    func tabInValue() throws {
        let head = try Self.head("200 OK", [("X-A", "a\tb"), ("X-B", "")])
        #expect(String(decoding: head.headerLines, as: UTF8.self) == "X-A: a\tb\r\nX-B: \r\n")
    }

    @Test(
        "hop-by-hop headers are refused in any case",
        arguments: [
            "Connection", "keep-alive", "Keep-Alive", "Proxy-Authenticate", "PROXY-AUTHORIZATION", "TE", "te",
            "Trailer", "Transfer-Encoding", "transfer-encoding", "Upgrade",
        ])
    func hopByHop(name: String) {
        #expect(throws: ResponseHead.Violation.hopByHop) { try Self.head("200 OK", [(name, "x")]) }
    }

    @Test("a decimal Content-Length is parsed")
    func contentLength() throws {
        #expect(try Self.head("200 OK", [("Content-Length", "42")]).contentLength == 42)
        #expect(try Self.head("200 OK", [("content-length", "0")]).contentLength == 0)
        #expect(try Self.head("200 OK", [("X-A", "1")]).contentLength == nil)
    }

    @Test(
        "a Content-Length that is not a decimal number is refused", arguments: ["abc", "-1", "", "+1", "1 2", "0x10"])
    func invalidContentLength(value: String) {
        #expect(throws: ResponseHead.Violation.invalidHeader) {
            try Self.head("200 OK", [("Content-Length", value)])
        }
    }

    @Test("a repeated Content-Length must agree with the first")
    func repeatedContentLength() throws {
        #expect(try Self.head("200 OK", [("Content-Length", "5"), ("Content-Length", "5")]).contentLength == 5)
        #expect(throws: ResponseHead.Violation.invalidHeader) {
            try Self.head("200 OK", [("Content-Length", "5"), ("Content-Length", "6")])
        }
    }

    @Test("Server and Date set by the application are detected in any case")
    func serverAndDate() throws {
        let neither = try Self.head("200 OK", [("X-Server", "a"), ("Dates", "b")])
        #expect(!neither.hasServer)
        #expect(!neither.hasDate)
        let both = try Self.head("200 OK", [("server", "mine"), ("DATE", "today")])
        #expect(both.hasServer)
        #expect(both.hasDate)
        let serverOnly = try Self.head("200 OK", [("Server", "mine")])
        #expect(serverOnly.hasServer)
        #expect(!serverOnly.hasDate)
    }

    @Test("1xx, 204 and 304 responses carry no body", arguments: [100, 101, 103, 199, 204, 304])
    func noBody(code: Int) throws {
        #expect(try !Self.head("\(code) X").allowsBody)
    }

    @Test("other responses may carry a body", arguments: [200, 201, 205, 300, 404, 500])
    func body(code: Int) throws {
        #expect(try Self.head("\(code) X").allowsBody)
    }

    @Test("headerLines hold exactly one \"Name: value\\r\\n\" per header, in order, as spelled")
    func headerLines() throws {
        let head = try Self.head(
            "200 OK", [("Content-Type", "text/plain"), ("set-cookie", "a=1"), ("Set-Cookie", "b=2"), ("X-Empty", "")])
        #expect(
            Array(head.headerLines)
                == Array("Content-Type: text/plain\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\nX-Empty: \r\n".utf8))
        #expect(try Self.head("204 No Content").headerLines.isEmpty)
    }

    @Test("violation codes are the ABI's result codes")
    func violationCodes() {
        #expect(ResponseHead.Violation.invalidStatus.code == Int32(SSGI_E_INVALID_STATUS))
        #expect(ResponseHead.Violation.invalidHeader.code == Int32(SSGI_E_INVALID_HEADER))
        #expect(ResponseHead.Violation.hopByHop.code == Int32(SSGI_E_HOP_BY_HOP))
        #expect(ResponseHead.Violation.invalidStatus.code == -3)
        #expect(ResponseHead.Violation.invalidHeader.code == -4)
        #expect(ResponseHead.Violation.hopByHop.code == -5)
    }

    @Test(
        "Content-Length is refused on 1xx and 204 responses, allowed on 304",
        arguments: ["100 Continue", "204 No Content"])
    func contentLengthWithoutBody(status: String) throws {
        #expect(throws: ResponseHead.Violation.invalidHeader) { try Self.head(status, [("Content-Length", "0")]) }
        #expect(try Self.head("304 Not Modified", [("Content-Length", "12")]).contentLength == 12)
    }
}

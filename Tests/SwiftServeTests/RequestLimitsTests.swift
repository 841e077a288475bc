import NIOHTTP1
import SSGI
import Testing

@testable import SwiftServe

/// Limits on the request head, with Gunicorn's defaults.
@Suite("RequestLimits")
struct RequestLimitsTests {
    /// A GET whose request line `GET <uri> HTTP/1.1` is `length` bytes long.
    static func head(requestLineLength length: Int, headers: HTTPHeaders = ["Host": "h"]) -> HTTPRequestHead {
        let uri = "/" + String(repeating: "a", count: length - "GET / HTTP/1.1".utf8.count)
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers)
    }

    static func head(headerCount: Int) -> HTTPRequestHead {
        HTTPRequestHead(
            version: .http1_1, method: .GET, uri: "/",
            headers: HTTPHeaders((0..<headerCount).map { ("X-\($0)", "v") }))
    }

    static func head(fieldName name: String, valueLength: Int) -> HTTPRequestHead {
        HTTPRequestHead(
            version: .http1_1, method: .GET, uri: "/",
            headers: HTTPHeaders([("Host", "h"), (name, String(repeating: "v", count: valueLength))]))
    }

    @Test("a request line up to 8190 bytes is within the limits, a longer one is refused with 414")
    func requestLine() {
        let limits = RequestLimits()
        #expect(limits.violation(of: Self.head(requestLineLength: 8190)) == nil)
        #expect(limits.violation(of: Self.head(requestLineLength: 8191)) == .uriTooLong)
        #expect(limits.violation(of: Self.head(requestLineLength: 20_000)) == .uriTooLong)
    }

    @Test("up to 100 header fields are within the limits, 101 are refused with 431")
    func headerCount() {
        let limits = RequestLimits()
        #expect(limits.violation(of: Self.head(headerCount: 100)) == nil)
        #expect(limits.violation(of: Self.head(headerCount: 101)) == .requestHeaderFieldsTooLarge)
    }

    @Test("a header field whose name and value exceed 8190 bytes is refused with 431")
    func fieldSize() {
        let limits = RequestLimits()
        #expect(limits.violation(of: Self.head(fieldName: "X-Big", valueLength: 8190 - 5)) == nil)
        #expect(
            limits.violation(of: Self.head(fieldName: "X-Big", valueLength: 8190 - 4)) == .requestHeaderFieldsTooLarge)
    }

    @Test("an ordinary request is within the limits")
    func ordinary() {
        let head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: "/submit?x=1",
            headers: ["Host": "example.com", "Content-Length": "3", "Accept": "*/*"])
        #expect(RequestLimits().violation(of: head) == nil)
    }

    @Test("custom limits are respected")
    func customLimits() {
        var limits = RequestLimits()
        limits.requestLine = 100
        limits.headerFields = 3
        limits.headerFieldSize = 50
        #expect(limits.violation(of: Self.head(requestLineLength: 100)) == nil)
        #expect(limits.violation(of: Self.head(requestLineLength: 101)) == .uriTooLong)
        #expect(limits.violation(of: Self.head(headerCount: 3)) == nil)
        #expect(limits.violation(of: Self.head(headerCount: 4)) == .requestHeaderFieldsTooLarge)
        #expect(limits.violation(of: Self.head(fieldName: "X-A", valueLength: 47)) == nil)
        #expect(limits.violation(of: Self.head(fieldName: "X-A", valueLength: 48)) == .requestHeaderFieldsTooLarge)
    }

    @Test("the statuses are 414 URI Too Long and 431 Request Header Fields Too Large")
    func statuses() {
        #expect(HTTPStatus.uriTooLong == HTTPStatus(414, reasonPhrase: "URI Too Long"))
        #expect(
            HTTPStatus.requestHeaderFieldsTooLarge == HTTPStatus(431, reasonPhrase: "Request Header Fields Too Large"))
    }
}

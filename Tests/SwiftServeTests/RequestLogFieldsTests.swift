import Testing

@testable import SwiftServe

/// Which request ids and trace contexts the access log repeats, and how JSON strings are written.
@Suite("Request log fields")
struct RequestLogFieldsTests {
    @Test("a request id is 1 to 128 bytes of letters, digits and - _ . : / + =")
    func requestIds() {
        #expect(RequestLogFields.isRequestId(Array("f47ac10b-58cc-4372-a567-0e02b2c3d479".utf8)))
        #expect(RequestLogFields.isRequestId(Array(String(repeating: "x", count: 128).utf8)))
        #expect(!RequestLogFields.isRequestId(Array(String(repeating: "x", count: 129).utf8)))
        #expect(!RequestLogFields.isRequestId([UInt8]()))
        #expect(!RequestLogFields.isRequestId(Array("a b".utf8)))
        #expect(!RequestLogFields.isRequestId(Array("a\"b".utf8)))
        #expect(!RequestLogFields.isRequestId(Array("é".utf8)))
    }

    @Test("a traceparent has the version-00 form, lowercase, with ids not all zeros")
    func traceparents() {
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        #expect(RequestLogFields.isTraceparent(Array(valid.utf8)))
        #expect(!RequestLogFields.isTraceparent(Array(valid.uppercased().utf8)))
        #expect(!RequestLogFields.isTraceparent(Array(("01" + valid.dropFirst(2)).utf8)))
        #expect(!RequestLogFields.isTraceparent(Array("00-00000000000000000000000000000000-00f067aa0ba902b7-01".utf8)))
        #expect(!RequestLogFields.isTraceparent(Array("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01".utf8)))
        #expect(!RequestLogFields.isTraceparent(Array(valid.dropLast().utf8)))
    }

    @Test("JSON strings escape quotes, backslashes and control characters")
    func jsonStrings() {
        #expect(AccessLogEntry.string(nil) == "null")
        #expect(AccessLogEntry.string("a\"b\\c\n\u{1}é") == #""a\"b\\c\n\u0001é""#)
    }

    @Test("the response gets X-Request-Id unless the application sent one")
    func responseHeader() throws {
        let name = Array("Content-Type".utf8)
        var head = try ResponseHead(
            status: Array("200 OK".utf8), headers: [(name: name, value: Array("text/plain".utf8))])
        head.addRequestId("abc")
        #expect(
            String(decoding: head.headerLines, as: UTF8.self) == "Content-Type: text/plain\r\nX-Request-Id: abc\r\n")
        var own = try ResponseHead(
            status: Array("200 OK".utf8), headers: [(name: Array("x-request-ID".utf8), value: Array("app".utf8))])
        own.addRequestId("abc")
        #expect(String(decoding: own.headerLines, as: UTF8.self) == "x-request-ID: app\r\n")
    }

    @Test("ids made by one generator differ, and have the documented form")
    func generator() {
        var generator = RequestIdGenerator()
        let first = generator.next()
        let second = generator.next()
        #expect(first != second)
        #expect(RequestLogFields.isRequestId(Array(first.utf8)))
        #expect(first.split(separator: "-").count == 3)
        var other = RequestIdGenerator()
        #expect(other.next() != first)
    }
}

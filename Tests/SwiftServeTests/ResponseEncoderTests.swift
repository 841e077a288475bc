import NIOCore
import SSGI
import Testing

@testable import SwiftServe

/// Responses laid out as HTTP/1.1 bytes.
@Suite("ResponseEncoder")
struct ResponseEncoderTests {
    static let date = Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)

    /// The server's Date and Server lines as of RFC 9110's example date.
    static var serverHeaders: ServerHeaders {
        var headers = ServerHeaders(serverSoftware: "swiftserve")
        headers.refresh(now: 784_111_777)
        return headers
    }

    static func head(_ status: String = "200 OK", _ headers: [(String, String)] = []) throws -> ResponseHead {
        try ResponseHead(
            status: Array(status.utf8), headers: headers.map { (name: Array($0.0.utf8), value: Array($0.1.utf8)) })
    }

    static func encodeHead(
        _ head: ResponseHead, framing: ResponseFraming, addContentLength: Int? = nil, keepAlive: Bool = true,
        clientIsHTTP10: Bool = false
    ) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        ResponseEncoder.writeHead(
            head, framing: framing, addContentLength: addContentLength, keepAlive: keepAlive,
            clientIsHTTP10: clientIsHTTP10, serverHeaders: Self.serverHeaders, into: &buffer)
        return String(buffer: buffer)
    }

    static func encodeBody(_ chunk: String, framing: ResponseFraming) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        ResponseEncoder.writeBody(Array(chunk.utf8), framing: framing, into: &buffer)
        return String(buffer: buffer)
    }

    @Test("the head is the status line, the application's headers, Date, Server, the length, and a blank line")
    func fullHead() throws {
        let text = Self.encodeHead(
            try Self.head("200 OK", [("Content-Type", "text/plain")]), framing: .length(5), addContentLength: 5)
        #expect(
            text
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Server: swiftserve\r\nContent-Length: 5\r\n\r\n")
    }

    @Test("Date and Server are added when the application set neither")
    func addsDateAndServer() throws {
        let text = Self.encodeHead(try Self.head(), framing: .chunked)
        #expect(text.contains("\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"))
        #expect(text.contains("\r\nServer: swiftserve\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test("the application's own Date and Server are not doubled")
    func keepsApplicationDateAndServer() throws {
        let text = Self.encodeHead(
            try Self.head("200 OK", [("Server", "mine"), ("date", "yesterday")]), framing: .length(0),
            addContentLength: 0)
        #expect(
            text == "HTTP/1.1 200 OK\r\nServer: mine\r\ndate: yesterday\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("the application's Content-Length is not doubled when the server adds none")
    func applicationContentLength() throws {
        let text = Self.encodeHead(try Self.head("200 OK", [("Content-Length", "3")]), framing: .length(3))
        #expect(text.components(separatedBy: "Content-Length").count == 2)
        #expect(!text.contains("Transfer-Encoding"))
    }

    @Test("chunked framing adds Transfer-Encoding: chunked and no Content-Length")
    func chunkedHead() throws {
        let text = Self.encodeHead(try Self.head(), framing: .chunked)
        #expect(text.contains("\r\nTransfer-Encoding: chunked\r\n"))
        #expect(!text.contains("Content-Length"))
    }

    @Test("a response that closes an HTTP/1.1 connection says Connection: close")
    func connectionClose() throws {
        let text = Self.encodeHead(try Self.head(), framing: .chunked, keepAlive: false)
        #expect(text.contains("\r\nConnection: close\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test("a kept-alive HTTP/1.0 client is told Connection: keep-alive")
    func http10KeepAlive() throws {
        let text = Self.encodeHead(try Self.head(), framing: .length(0), addContentLength: 0, clientIsHTTP10: true)
        #expect(text.contains("\r\nConnection: keep-alive\r\n"))
        #expect(!text.contains("close"))
    }

    @Test("a kept-alive HTTP/1.1 response and a closed HTTP/1.0 response say nothing about Connection")
    func noConnectionHeader() throws {
        let kept = Self.encodeHead(try Self.head(), framing: .length(0), addContentLength: 0)
        #expect(!kept.contains("Connection"))
        let closed = Self.encodeHead(try Self.head(), framing: .closeDelimited, keepAlive: false, clientIsHTTP10: true)
        #expect(!closed.contains("Connection"))
        #expect(!closed.contains("Content-Length"))
        #expect(!closed.contains("Transfer-Encoding"))
        #expect(closed.hasSuffix("\r\n\r\n"))
    }

    @Test("decimal numbers are written in ASCII digits", arguments: [0, 7, 10, 44, 100, 65536, 1_073_741_824])
    func decimal(value: Int) {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        ResponseEncoder.writeDecimal(value, into: &buffer)
        #expect(String(buffer: buffer) == String(value))
    }

    @Test("a chunked body chunk is its hex size, CRLF, the data, CRLF")
    func chunkedBody() {
        #expect(Self.encodeBody("hello", framing: .chunked) == "5\r\nhello\r\n")
        let large = String(repeating: "x", count: 300)
        #expect(Self.encodeBody(large, framing: .chunked) == "12c\r\n\(large)\r\n")
    }

    @Test(
        "a chunk size is written in lowercase hex without leading zeros",
        arguments: [
            (0, "0"), (1, "1"), (15, "f"), (16, "10"), (300, "12c"), (65536, "10000"), (Int.max, "7fffffffffffffff"),
        ])
    func chunkSize(size: Int, hex: String) {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        ResponseEncoder.writeChunkSize(size, into: &buffer)
        #expect(String(buffer: buffer) == hex + "\r\n")
    }

    @Test("a chunk held in a buffer is framed as the same bytes given as an array")
    func bufferBody() {
        for framing in [ResponseFraming.chunked, .length(5), .closeDelimited, .none] {
            var buffer = ByteBufferAllocator().buffer(capacity: 0)
            ResponseEncoder.writeBody(ByteBuffer(string: "hello").readableBytesView, framing: framing, into: &buffer)
            #expect(String(buffer: buffer) == Self.encodeBody("hello", framing: framing))
        }
    }

    @Test("an empty chunk writes nothing in chunked framing, which would end the body")
    func emptyChunk() {
        #expect(Self.encodeBody("", framing: .chunked) == "")
    }

    @Test("length and close-delimited bodies are written as they are, and no body writes nothing")
    func rawBody() {
        #expect(Self.encodeBody("hello", framing: .length(5)) == "hello")
        #expect(Self.encodeBody("hello", framing: .closeDelimited) == "hello")
        #expect(Self.encodeBody("hello", framing: .none) == "")
    }

    @Test(
        "writeEnd writes the last chunk only for chunked framing",
        arguments: [
            (ResponseFraming.chunked, "0\r\n\r\n"), (.length(3), ""), (.closeDelimited, ""), (ResponseFraming.none, ""),
        ])
    func end(framing: ResponseFraming, expected: String) {
        var buffer = ByteBufferAllocator().buffer(capacity: 16)
        ResponseEncoder.writeEnd(framing: framing, into: &buffer)
        #expect(String(buffer: buffer) == expected)
    }

    @Test(
        "an error response has the status line, Connection: close, and a body of just the reason",
        arguments: [HTTPStatus.badRequest, .uriTooLong, .requestHeaderFieldsTooLarge, .internalServerError])
    func errorResponse(status: HTTPStatus) throws {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        ResponseEncoder.writeErrorResponse(status, date: Self.date, serverSoftware: "swiftserve", into: &buffer)
        let text = String(buffer: buffer)
        let separator = try #require(text.range(of: "\r\n\r\n"))
        let head = text[..<separator.lowerBound].components(separatedBy: "\r\n")
        let body = String(text[separator.upperBound...])
        #expect(head.first == "HTTP/1.1 \(status.code) \(status.reasonPhrase)")
        #expect(head.contains("Connection: close"))
        #expect(head.contains("Date: Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(head.contains("Server: swiftserve"))
        #expect(head.contains("Content-Length: \(body.utf8.count)"))
        #expect(body == "\(status.reasonPhrase)\n")
    }

    @Test("an error response to a HEAD request has the same head and no body")
    func errorResponseToHead() {
        var get = ByteBufferAllocator().buffer(capacity: 256)
        ResponseEncoder.writeErrorResponse(.badRequest, date: Self.date, serverSoftware: "swiftserve", into: &get)
        var head = ByteBufferAllocator().buffer(capacity: 256)
        ResponseEncoder.writeErrorResponse(
            .badRequest, toHead: true, date: Self.date, serverSoftware: "swiftserve", into: &head)
        #expect(String(buffer: get) == String(buffer: head) + "Bad Request\n")
    }
}

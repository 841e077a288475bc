import NIOCore
import SSGI

/// Lays responses out as HTTP/1.1 bytes: the head in one buffer, body chunks in their framing.
enum ResponseEncoder {
    /// Lays out a complete head: the status line and the application's headers (`head.bytes`),
    /// then Date and Server where the application set neither, the framing header, Connection as
    /// needed, and the blank line.
    ///
    /// The head is assembled in an array, whose appends cost little, so that it reaches the
    /// connection's buffer in one write.
    static func writeHead(
        _ head: ResponseHead, framing: ResponseFraming, addContentLength: Int?, keepAlive: Bool,
        clientIsHTTP10: Bool, serverHeaders: borrowing ServerHeaders, into bytes: inout [UInt8]
    ) {
        bytes.append(contentsOf: head.bytes)
        serverHeaders.write(date: !head.hasDate, server: !head.hasServer, into: &bytes)
        if let length = addContentLength {
            bytes.append(contentsOf: "Content-Length: ".utf8)
            self.appendDecimal(length, to: &bytes)
            bytes.append(contentsOf: "\r\n".utf8)
        } else if framing == .chunked {
            bytes.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        }
        if !keepAlive, !clientIsHTTP10 {
            bytes.append(contentsOf: "Connection: close\r\n".utf8)
        } else if keepAlive, clientIsHTTP10 {
            bytes.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// Appends a non-negative number in decimal ASCII digits.
    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Writes one body chunk in the given framing.
    static func writeBody<Bytes: Collection<UInt8>>(
        _ chunk: Bytes, framing: ResponseFraming, into buffer: inout ByteBuffer
    ) {
        switch framing {
        case .chunked:
            guard !chunk.isEmpty else { return }
            buffer.writeString(String(chunk.count, radix: 16))
            buffer.writeStaticString("\r\n")
            buffer.writeBytes(chunk)
            buffer.writeStaticString("\r\n")
        case .length, .closeDelimited:
            buffer.writeBytes(chunk)
        case .none:
            break
        }
    }

    /// The last chunk of a chunked body.
    static func writeEnd(framing: ResponseFraming, into buffer: inout ByteBuffer) {
        if framing == .chunked {
            buffer.writeStaticString("0\r\n\r\n")
        }
    }

    /// A complete response the server answers by itself (400, 408, 414, 431, 500): a short text
    /// body that reveals nothing about the application, and Connection: close. The answer to a
    /// HEAD request has the same head and no body.
    static func writeErrorResponse(
        _ status: HTTPStatus, toHead: Bool = false, date: [UInt8], serverSoftware: String,
        into buffer: inout ByteBuffer
    ) {
        let body = "\(status.reasonPhrase)\n"
        buffer.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
        buffer.writeStaticString("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ")
        buffer.writeString(String(body.utf8.count))
        buffer.writeStaticString("\r\nDate: ")
        buffer.writeBytes(date)
        buffer.writeStaticString("\r\nServer: ")
        buffer.writeString(serverSoftware)
        buffer.writeStaticString("\r\nConnection: close\r\n\r\n")
        if !toHead {
            buffer.writeString(body)
        }
    }
}

import NIOCore
import SSGI

/// Lays responses out as HTTP/1.1 bytes: the head in one buffer, body chunks in their framing.
enum ResponseEncoder {
    /// Lays out a complete head: the status line and the application's headers (`head.bytes`),
    /// then Date and Server where the application set neither, the framing header, Connection as
    /// needed, and the blank line.
    ///
    /// The head goes straight into the buffer the response is written from: each part is one
    /// copy of bytes already laid out, with no array in between.
    static func writeHead(
        _ head: ResponseHead, framing: ResponseFraming, addContentLength: Int?, keepAlive: Bool,
        clientIsHTTP10: Bool, serverHeaders: borrowing ServerHeaders, into buffer: inout ByteBuffer
    ) {
        buffer.writeBytes(head.bytes)
        serverHeaders.write(date: !head.hasDate, server: !head.hasServer, into: &buffer)
        if let length = addContentLength {
            buffer.writeStaticString("Content-Length: ")
            self.writeDecimal(length, into: &buffer)
            buffer.writeStaticString("\r\n")
        } else if framing == .chunked {
            buffer.writeStaticString("Transfer-Encoding: chunked\r\n")
        }
        if !keepAlive, !clientIsHTTP10 {
            buffer.writeStaticString("Connection: close\r\n")
        } else if keepAlive, clientIsHTTP10 {
            buffer.writeStaticString("Connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    /// The most bytes `writeHead` adds to `head.bytes` and the server's lines.
    static let headOverhead = 64

    /// Writes a non-negative number in decimal ASCII digits.
    static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(rest / divisor))
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
            self.writeChunkSize(chunk.count, into: &buffer)
            buffer.writeBytes(chunk)
            buffer.writeStaticString("\r\n")
        case .length, .closeDelimited:
            buffer.writeBytes(chunk)
        case .none:
            break
        }
    }

    /// The bytes chunked framing puts around a chunk's data, at most: its size in hex and two CRLFs.
    static let chunkOverhead = 2 * MemoryLayout<Int>.size + 4

    /// The start of a chunk: its size in hex digits, then CRLF.
    static func writeChunkSize(_ size: Int, into buffer: inout ByteBuffer) {
        var shift = (Int.bitWidth - size.leadingZeroBitCount + 3) / 4 * 4 - 4
        repeat {
            let digit = UInt8((size >> max(shift, 0)) & 0xF)
            buffer.writeInteger(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            shift -= 4
        } while shift >= 0
        buffer.writeStaticString("\r\n")
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

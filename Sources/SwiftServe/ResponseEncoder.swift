import NIOCore
import SSGI

/// Lays responses out as HTTP/1.1 bytes: the head in one buffer, body chunks in their framing.
enum ResponseEncoder {
    /// Writes the status line and headers of `head`, adding Date, Server, the framing header and
    /// Connection as needed.
    static func writeHead(
        _ head: ResponseHead, framing: ResponseFraming, addContentLength: Int?, keepAlive: Bool,
        clientIsHTTP10: Bool, date: [UInt8], serverSoftware: String, into buffer: inout ByteBuffer
    ) {
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeImmutableBuffer(head.status)
        buffer.writeStaticString("\r\n")
        buffer.writeImmutableBuffer(head.headerLines)
        if !head.hasDate {
            buffer.writeStaticString("Date: ")
            buffer.writeBytes(date)
            buffer.writeStaticString("\r\n")
        }
        if !head.hasServer {
            buffer.writeStaticString("Server: ")
            buffer.writeString(serverSoftware)
            buffer.writeStaticString("\r\n")
        }
        if let length = addContentLength {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(length))
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

    /// Writes one body chunk in the given framing.
    static func writeBody(_ chunk: ByteBuffer, framing: ResponseFraming, into buffer: inout ByteBuffer) {
        switch framing {
        case .chunked:
            guard chunk.readableBytes > 0 else { return }
            buffer.writeString(String(chunk.readableBytes, radix: 16))
            buffer.writeStaticString("\r\n")
            buffer.writeImmutableBuffer(chunk)
            buffer.writeStaticString("\r\n")
        case .length, .closeDelimited:
            buffer.writeImmutableBuffer(chunk)
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

import NIOCore
import SSGI

/// Lays responses out as HTTP/1.1 bytes: the head in one buffer, body chunks in their framing.
enum ResponseEncoder {
    /// Lays out a complete head: the status line and the application's headers (`head.bytes`),
    /// then Date and Server where the application set neither, the framing header, Connection as
    /// needed, and the blank line.
    ///
    /// The head goes straight into the buffer the response is written from, in one write: each
    /// part is one copy of bytes already laid out, with no array in between.
    static func writeHead(
        _ head: ResponseHead, framing: ResponseFraming, addContentLength: Int?, keepAlive: Bool,
        clientIsHTTP10: Bool, serverHeaders: borrowing ServerHeaders, into buffer: inout ByteBuffer
    ) {
        let capacity = head.bytes.count + serverHeaders.lines.count + Self.headOverhead
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { raw in
            var out = RawWriter(raw)
            head.bytes.withUnsafeBytes { out.put($0) }
            serverHeaders.withLines(date: !head.hasDate, server: !head.hasServer) { out.put($0) }
            if let length = addContentLength {
                out.put("Content-Length: ")
                out.putDecimal(length)
                out.put("\r\n")
            } else if framing == .chunked {
                out.put("Transfer-Encoding: chunked\r\n")
            }
            if !keepAlive, !clientIsHTTP10 {
                out.put("Connection: close\r\n")
            } else if keepAlive, clientIsHTTP10 {
                out.put("Connection: keep-alive\r\n")
            }
            out.put("\r\n")
            return out.count
        }
    }

    /// The most bytes `writeHead` adds to `head.bytes` and the server's lines.
    static let headOverhead = 64

    /// Writes a non-negative number in decimal ASCII digits.
    static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 20) { raw in
            var out = RawWriter(raw)
            out.putDecimal(value)
            return out.count
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
    /// HEAD request has the same head and no body. Returns the number of body bytes written, for
    /// the access log.
    @discardableResult
    static func writeErrorResponse(
        _ status: HTTPStatus, toHead: Bool = false, date: [UInt8], serverSoftware: String,
        into buffer: inout ByteBuffer
    ) -> Int {
        let body = "\(status.reasonPhrase)\n"
        buffer.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
        buffer.writeStaticString("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ")
        buffer.writeString(String(body.utf8.count))
        buffer.writeStaticString("\r\nDate: ")
        buffer.writeBytes(date)
        buffer.writeStaticString("\r\nServer: ")
        buffer.writeString(serverSoftware)
        buffer.writeStaticString("\r\nConnection: close\r\n\r\n")
        guard !toHead else { return 0 }
        return buffer.writeString(body)
    }
}

/// Lays bytes out in a buffer's writable space, which the caller made large enough: how a
/// response head is written in one access to its buffer rather than one per part.
private struct RawWriter {
    private let bytes: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ bytes: UnsafeMutableRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func put(_ source: UnsafeRawBufferPointer) {
        precondition(self.count + source.count <= self.bytes.count, "a response head over its reserved space")
        UnsafeMutableRawBufferPointer(rebasing: self.bytes[self.count..<self.count + source.count]).copyMemory(
            from: source)
        self.count += source.count
    }

    mutating func put(_ literal: StaticString) {
        literal.withUTF8Buffer { self.put(UnsafeRawBufferPointer($0)) }
    }

    /// A non-negative number in decimal ASCII digits.
    mutating func putDecimal(_ value: Int) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        precondition(self.count + 20 <= self.bytes.count, "a response head over its reserved space")
        var rest = value
        while divisor > 0 {
            self.bytes[self.count] = UInt8(ascii: "0") + UInt8(rest / divisor)
            self.count += 1
            rest %= divisor
            divisor /= 10
        }
    }
}

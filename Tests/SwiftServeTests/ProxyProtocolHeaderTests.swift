import NIOCore
import NIOEmbedded
import Testing

@testable import SwiftServe

/// PROXY protocol headers, versions 1 and 2, from HAProxy's specification.
@Suite("ProxyProtocolHeader")
struct ProxyProtocolHeaderTests {
    static func parse(_ bytes: [UInt8]) -> ProxyProtocolHeader.Parse {
        ProxyProtocolHeader.parse(ByteBuffer(bytes: bytes).readableBytesView)
    }

    static func version2(command: UInt8 = 0x21, family: UInt8, addresses: [UInt8], extra: [UInt8] = []) -> [UInt8] {
        let length = addresses.count + extra.count
        return ProxyProtocolHeader.signature + [command, family, UInt8(length >> 8), UInt8(length & 0xff)] + addresses
            + extra
    }

    @Test("version 1 gives the source and destination of TCP4 and TCP6, and nothing for UNKNOWN")
    func version1() throws {
        let line = Array("PROXY TCP4 192.0.2.1 198.51.100.2 51000 443\r\nGET".utf8)
        guard case .header(let header, let length) = Self.parse(line) else {
            Issue.record("not parsed")
            return
        }
        #expect(length == line.count - 3)
        #expect(header.source == (try SocketAddress(ipAddress: "192.0.2.1", port: 51000)))
        #expect(header.destination == (try SocketAddress(ipAddress: "198.51.100.2", port: 443)))
        guard case .header(let v6, _) = Self.parse(Array("PROXY TCP6 2001:db8::1 ::1 1 2\r\n".utf8)) else {
            Issue.record("TCP6 not parsed")
            return
        }
        #expect(v6.source == (try SocketAddress(ipAddress: "2001:db8::1", port: 1)))
        #expect(Self.parse(Array("PROXY UNKNOWN ffff::1 ::1 1 2\r\n".utf8)) == .header(.init(), length: 31))
    }

    @Test("version 2 gives the addresses of PROXY over TCP, and nothing for LOCAL or other families")
    func version2() throws {
        let v4 = Self.version2(
            family: 0x11, addresses: [192, 0, 2, 1, 198, 51, 100, 2, 0xC7, 0x38, 0x01, 0xBB], extra: [1, 0, 1, 7])
        guard case .header(let header, let length) = Self.parse(v4 + Array("GET".utf8)) else {
            Issue.record("not parsed")
            return
        }
        #expect(length == v4.count)
        #expect(header.source == (try SocketAddress(ipAddress: "192.0.2.1", port: 51000)))
        #expect(header.destination == (try SocketAddress(ipAddress: "198.51.100.2", port: 443)))
        let v6 = Self.version2(
            family: 0x21,
            addresses: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
                + [UInt8](repeating: 0, count: 15) + [1] + [0, 80, 0, 81])
        guard case .header(let header6, _) = Self.parse(v6) else {
            Issue.record("IPv6 not parsed")
            return
        }
        #expect(header6.source == (try SocketAddress(ipAddress: "2001:db8::1", port: 80)))
        let local = Self.version2(command: 0x20, family: 0x00, addresses: [])
        #expect(Self.parse(local) == .header(.init(), length: 16))
        let unix = Self.version2(family: 0x31, addresses: [UInt8](repeating: 0, count: 216))
        #expect(Self.parse(unix) == .header(.init(), length: 232))
    }

    @Test("a header cut short asks for more bytes")
    func incomplete() {
        #expect(Self.parse(Array("PROXY TCP4 192.0.2.1".utf8)) == .incomplete)
        #expect(Self.parse(Array("PRO".utf8)) == .incomplete)
        #expect(Self.parse(Array(ProxyProtocolHeader.signature.prefix(7))) == .incomplete)
        #expect(
            Self.parse(Array(Self.version2(family: 0x11, addresses: [UInt8](repeating: 1, count: 12)).prefix(20)))
                == .incomplete)
    }

    @Test(
        "anything else is invalid",
        arguments: [
            "GET / HTTP/1.1\r\n", "PROXY TCP4 192.0.2.1 198.51.100.2 51000\r\n", "PROXY TCP4 ::1 ::1 1 2\r\n",
            "PROXY TCP6 1.2.3.4 1.2.3.4 1 2\r\n", "PROXY TCP4 192.0.2.1 198.51.100.2 51000 99999\r\n",
            "PROXY TCP4 192.0.2.1 198.51.100.2 51000 443\n", "PROXY TCP4  192.0.2.1 198.51.100.2 51000 443\r\n",
            "PROXY UDP4 192.0.2.1 198.51.100.2 1 2\r\n", "PROXY " + String(repeating: "A", count: 120),
        ])
    func invalid(text: String) {
        guard case .invalid = Self.parse(Array(text.utf8)) else {
            Issue.record("\(text.debugDescription) was not refused")
            return
        }
    }

    @Test("version 2 with another version or command, or addresses too short, is invalid")
    func invalidVersion2() {
        for bytes in [
            Self.version2(command: 0x11, family: 0x11, addresses: [UInt8](repeating: 1, count: 12)),
            Self.version2(command: 0x22, family: 0x11, addresses: [UInt8](repeating: 1, count: 12)),
            Self.version2(family: 0x11, addresses: [UInt8](repeating: 1, count: 8)),
        ] {
            guard case .invalid = Self.parse(bytes) else {
                Issue.record("\(bytes) was not refused")
                continue
            }
        }
    }

    @Test("the handler passes the header on as an event, then the bytes after it, split across reads")
    func handler() throws {
        let channel = EmbeddedChannel()
        let events = EventRecorder()
        try channel.pipeline.syncOperations.addHandlers([
            ProxyProtocolHandler(trusting: .default, logger: .init(label: "test")), events,
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(string: "PROXY TCP4 192.0.2.1 198.51.100.2 5"))
        #expect(events.headers.isEmpty)
        try channel.writeInbound(ByteBuffer(string: "1000 443\r\nGET / HTTP/1.0\r\n\r\n"))
        #expect(events.headers.first?.source == (try SocketAddress(ipAddress: "192.0.2.1", port: 51000)))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "GET / HTTP/1.0\r\n\r\n"))
        try channel.writeInbound(ByteBuffer(string: "more"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "more"))
        _ = try channel.finish()
    }
}

/// Records the PROXY headers that reach it.
private final class EventRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    var headers: [ProxyProtocolHeader] = []

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let header = event as? ProxyProtocolHeader { self.headers.append(header) }
        context.fireUserInboundEventTriggered(event)
    }
}

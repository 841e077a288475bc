import NIOCore

/// The header a load balancer (HAProxy, AWS NLB, ...) sends first on a connection to say whom it
/// came from: PROXY protocol version 1 (a text line) or 2 (binary), as HAProxy's specification
/// (`proxy-protocol.txt`) defines them.
struct ProxyProtocolHeader: Hashable, Sendable {
    /// The client's address, or nil when the header names none (`UNKNOWN`, `LOCAL`, a family other
    /// than TCP over IPv4 or IPv6): the connection's own addresses then stand.
    var source: SocketAddress?
    /// The address the client connected to.
    var destination: SocketAddress?

    /// What a look at the first bytes of a connection found.
    enum Parse: Equatable {
        /// Not enough bytes yet.
        case incomplete
        /// A header, and how many bytes it took.
        case header(ProxyProtocolHeader, length: Int)
        /// Not a PROXY protocol header, with the reason.
        case invalid(String)
    }

    /// The longest version 1 line, CRLF included.
    static let maximumLineLength = 107
    /// The 12 bytes that start a version 2 header.
    static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    /// Parses the header at the start of `bytes`.
    static func parse(_ bytes: ByteBufferView) -> Parse {
        guard let first = bytes.first else { return .incomplete }
        switch first {
        case UInt8(ascii: "P"): return self.parseVersion1(bytes)
        case Self.signature[0]: return self.parseVersion2(bytes)
        default: return .invalid("the connection does not start with a PROXY protocol header")
        }
    }

    private static func parseVersion1(_ bytes: ByteBufferView) -> Parse {
        let prefix = Array("PROXY ".utf8)
        guard bytes.starts(with: prefix.prefix(bytes.count)) else {
            return .invalid("the connection does not start with a PROXY protocol header")
        }
        let window = bytes.prefix(Self.maximumLineLength)
        guard let lineFeed = window.firstIndex(of: UInt8(ascii: "\n")) else {
            return bytes.count >= Self.maximumLineLength ? .invalid("a PROXY line longer than 107 bytes") : .incomplete
        }
        let length = lineFeed - bytes.startIndex + 1
        guard length >= 2, bytes[lineFeed - 1] == UInt8(ascii: "\r") else {
            return .invalid("a PROXY line not ended by CRLF")
        }
        let line = String(decoding: bytes[bytes.startIndex..<(lineFeed - 1)], as: UTF8.self)
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count >= 2 else { return .invalid("a PROXY line without a protocol") }
        if fields[1] == "UNKNOWN" {
            return .header(ProxyProtocolHeader(source: nil, destination: nil), length: length)
        }
        guard fields[1] == "TCP4" || fields[1] == "TCP6", fields.count == 6 else {
            return .invalid("a PROXY line that is not 'PROXY TCP4|TCP6 SOURCE DESTINATION PORT PORT'")
        }
        let isIPv6 = fields[1] == "TCP6"
        guard let source = Self.address(fields[2], port: fields[4], isIPv6: isIPv6),
            let destination = Self.address(fields[3], port: fields[5], isIPv6: isIPv6)
        else {
            return .invalid("a PROXY line with a malformed address or port")
        }
        return .header(ProxyProtocolHeader(source: source, destination: destination), length: length)
    }

    private static func parseVersion2(_ bytes: ByteBufferView) -> Parse {
        guard bytes.starts(with: Self.signature.prefix(bytes.count)) else {
            return .invalid("the connection does not start with a PROXY protocol header")
        }
        guard bytes.count >= 16 else { return .incomplete }
        let start = bytes.startIndex
        let versionAndCommand = bytes[start + 12]
        let family = bytes[start + 13]
        let addressLength = Int(bytes[start + 14]) << 8 | Int(bytes[start + 15])
        guard versionAndCommand >> 4 == 2 else {
            return .invalid("a PROXY header of version \(versionAndCommand >> 4)")
        }
        let command = versionAndCommand & 0x0F
        guard command <= 1 else { return .invalid("a PROXY header with command \(command)") }
        guard bytes.count >= 16 + addressLength else { return .incomplete }
        let length = 16 + addressLength
        // LOCAL (a health check from the proxy itself), or a family other than TCP: keep the connection's own.
        guard command == 1 else { return .header(ProxyProtocolHeader(source: nil, destination: nil), length: length) }
        let body = bytes[(start + 16)..<(start + length)]
        let addressBytes: Int
        switch family {
        case 0x11: addressBytes = 4
        case 0x21: addressBytes = 16
        default: return .header(ProxyProtocolHeader(source: nil, destination: nil), length: length)
        }
        guard body.count >= 2 * addressBytes + 4 else { return .invalid("a PROXY header too short for its addresses") }
        let base = body.startIndex
        let sourcePort = Int(body[base + 2 * addressBytes]) << 8 | Int(body[base + 2 * addressBytes + 1])
        let destinationPort = Int(body[base + 2 * addressBytes + 2]) << 8 | Int(body[base + 2 * addressBytes + 3])
        guard
            let source = try? SocketAddress(
                packedIPAddress: ByteBuffer(bytes: body[base..<(base + addressBytes)]), port: sourcePort),
            let destination = try? SocketAddress(
                packedIPAddress: ByteBuffer(bytes: body[(base + addressBytes)..<(base + 2 * addressBytes)]),
                port: destinationPort)
        else {
            return .invalid("a PROXY header with malformed addresses")
        }
        return .header(ProxyProtocolHeader(source: source, destination: destination), length: length)
    }

    private static func address(_ ip: Substring, port: Substring, isIPv6: Bool) -> SocketAddress? {
        guard ip.contains(":") == isIPv6, IPAddress(ip) != nil, !port.isEmpty, port.count <= 5,
            port.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let number = Int(port), number <= 65535
        else { return nil }
        return try? SocketAddress(ipAddress: String(ip), port: number)
    }
}

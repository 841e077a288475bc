import Glibc
import NIOCore

/// An IPv4 or IPv6 address as 128 bits, IPv4 in its IPv4-mapped form (`::ffff:a.b.c.d`), so that
/// one comparison serves both families and a dual-stack socket's mapped peer matches IPv4 ranges.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address, most significant bits first.
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The IPv4 address `a.b.c.d` given as a 32-bit number, mapped.
    init(ipv4 value: UInt32) {
        self.init(high: 0, low: 0xffff_0000_0000 | UInt64(value))
    }

    /// Parses the text form of an IPv4 or IPv6 address (no brackets, no port, no zone).
    init?<Text: StringProtocol>(_ text: Text) {
        let text = String(text)
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            self.init(bytes: withUnsafeBytes(of: &address) { Array($0) })
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
            self.init(ipv4: UInt32(bigEndian: address.s_addr))
        }
    }

    /// The IP address of a socket address; nil for a unix socket.
    init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            self.init(ipv4: UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            self.init(bytes: withUnsafeBytes(of: &raw) { Array($0) })
        case .unixDomainSocket:
            return nil
        }
    }

    /// Sixteen bytes in network order.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 16)
        self.high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        self.low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Whether this is an IPv4 address (mapped).
    var isIPv4: Bool { self.high == 0 && self.low >> 32 == 0xffff }

    /// The canonical text form: dotted decimal for IPv4, RFC 5952 for IPv6.
    var description: String {
        if self.isIPv4 {
            let value = UInt32(truncatingIfNeeded: self.low)
            return "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
        }
        var address = in6_addr()
        let bytes =
            (0..<8).map { UInt8(truncatingIfNeeded: self.high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: self.low >> (56 - 8 * $0)) }
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "::" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

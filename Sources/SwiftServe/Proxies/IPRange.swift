/// A network in CIDR notation (`10.0.0.0/8`, `fd00::/8`) or a single address (`127.0.0.1`, `::1`).
struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range.
    let network: IPAddress
    /// The prefix length over 128 bits (an IPv4 prefix plus 96).
    let prefixLength: Int

    /// Why a range does not parse.
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: Substring) throws(ParseError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else {
            throw ParseError(description: "'\(text)' is not an IP address or a network such as 10.0.0.0/8")
        }
        let bits = address.isIPv4 && !parts[0].contains(":") ? 32 : 128
        var prefix = bits
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...bits).contains(value), parts[1].allSatisfy(\.isASCII) else {
                throw ParseError(description: "'\(text)' has a prefix length that is not 0 to \(bits)")
            }
            prefix = value
        }
        self.prefixLength = prefix + (128 - bits)
        self.network = Self.masked(address, prefixLength: self.prefixLength)
        guard self.network == address else {
            throw ParseError(
                description: "'\(text)' has bits set after its prefix: did you mean \(self.network)/\(prefix)?")
        }
    }

    /// Whether `address` is in the range.
    func contains(_ address: IPAddress) -> Bool {
        Self.masked(address, prefixLength: self.prefixLength) == self.network
    }

    var description: String {
        let bits = self.network.isIPv4 ? self.prefixLength - 96 : self.prefixLength
        return "\(self.network)/\(bits)"
    }

    private static func masked(_ address: IPAddress, prefixLength: Int) -> IPAddress {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> bits) }
        return IPAddress(high: address.high & mask(prefixLength), low: address.low & mask(prefixLength - 64))
    }
}

import NIOCore

/// The peers whose forwarding headers and PROXY protocol headers the server believes:
/// `--forwarded-allow-ips`, as Gunicorn's `forwarded_allow_ips`; and which forwarding headers it
/// believes from them (`--forwarded-headers`, `ForwardedFields`).
///
/// A connection over a unix socket is trusted, as Gunicorn does: whoever may connect to the socket
/// file is a local process the file's permissions let in (see `--umask`, `--user`, `--group`).
public struct TrustedProxies: Sendable, Hashable, CustomStringConvertible {
    private let ranges: [IPRange]
    private let trustsEveryone: Bool
    /// The forwarding fields believed from a trusted peer.
    public let fields: ForwardedFields

    /// `127.0.0.1,::1`: a proxy on the same machine, believed for `X-Forwarded-For` and `X-Forwarded-Proto`.
    public static let `default` = try! TrustedProxies(parsing: "127.0.0.1,::1")

    /// Parses a comma-separated list of addresses and CIDR networks, or `*` for everyone; an
    /// empty list trusts no TCP peer. `fields` are the forwarding headers believed from them.
    public init(parsing list: String, believing fields: ForwardedFields = .default) throws(ParseError) {
        self.fields = fields
        let items = list.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if items == ["*"] {
            self.ranges = []
            self.trustsEveryone = true
            return
        }
        var ranges: [IPRange] = []
        for item in items {
            do {
                ranges.append(try IPRange(parsing: item))
            } catch {
                throw ParseError(description: error.description)
            }
        }
        self.ranges = ranges
        self.trustsEveryone = false
    }

    /// Why a list does not parse.
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether a connection from `peer` is trusted.
    func trusts(peer: SocketAddress?) -> Bool {
        guard let peer else { return false }
        if case .unixDomainSocket = peer { return true }
        return IPAddress(peer).map(self.trusts) ?? false
    }

    /// Whether `address` is a trusted proxy.
    func trusts(_ address: IPAddress) -> Bool {
        self.trustsEveryone || self.ranges.contains { $0.contains(address) }
    }

    public var description: String {
        self.trustsEveryone ? "*" : self.ranges.map(\.description).joined(separator: ",")
    }
}

extension Substring {
    /// Without the spaces and tabs around it.
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}

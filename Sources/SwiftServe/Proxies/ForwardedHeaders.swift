import SSGI

/// What trusted proxies say about a request they forwarded, in RFC 7239 `Forwarded` or in the
/// de-facto `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` fields.
///
/// Only consulted for a connection from a trusted peer (`TrustedProxies`). The client is found by
/// walking the list of addresses from the right, the end the nearest proxy wrote, past every
/// trusted proxy: the first address that is not trusted is the client, so a client that sends its
/// own `X-Forwarded-For` through a proxy that appends to it cannot choose its address. When every
/// address is trusted, the leftmost is the client. Only the fields `TrustedProxies.fields` names
/// are believed (`X-Forwarded-For` and `X-Forwarded-Proto` by default); `Forwarded`, when believed,
/// wins over the `X-Forwarded-*` fields when a request has both. An entry that is not an address,
/// a scheme other than `http` or `https`, or a host that is not `host[:port]` is ignored.
struct ForwardedHeaders {
    /// What the headers establish; nil where they establish nothing.
    struct Resolution: Equatable {
        var remoteAddr: String?
        /// The client's port when the proxy gave one (`Forwarded: for="[::1]:4711"`), else empty.
        var remotePort: String?
        var urlScheme: String?
        var host: String?
    }

    private var forwarded: [String] = []
    private var forwardedFor: [String] = []
    private var forwardedProto: [String] = []
    private var forwardedHost: [String] = []

    init() {}

    /// Whether no forwarding field was seen: there is nothing to resolve.
    var isEmpty: Bool {
        self.forwarded.isEmpty && self.forwardedFor.isEmpty && self.forwardedProto.isEmpty
            && self.forwardedHost.isEmpty
    }

    /// Keeps `value` if `name` is one of the forwarding fields.
    mutating func consider(name: String, value: String) {
        switch name.utf8.count {
        case 9 where ASCII.equalsIgnoringCase(name.utf8, "forwarded"): self.forwarded.append(value)
        case 15 where ASCII.equalsIgnoringCase(name.utf8, "x-forwarded-for"): self.forwardedFor.append(value)
        case 16 where ASCII.equalsIgnoringCase(name.utf8, "x-forwarded-host"): self.forwardedHost.append(value)
        case 17 where ASCII.equalsIgnoringCase(name.utf8, "x-forwarded-proto"): self.forwardedProto.append(value)
        default: break
        }
    }

    /// What the fields `trusted` believes say, walking past the proxies it names.
    func resolve(trusting trusted: TrustedProxies) -> Resolution {
        let fields = trusted.fields
        if fields.contains(.forwarded), !self.forwarded.isEmpty {
            return self.resolveForwarded(trusting: trusted)
        }
        var resolution = Resolution()
        let addresses = fields.contains(.xForwardedFor) ? Self.elements(self.forwardedFor) : []
        var chosen: Int?
        if !addresses.isEmpty {
            var index = addresses.count - 1
            while true {
                guard let node = Node(addresses[index]), let address = node.address else { break }
                if !trusted.trusts(address) || index == 0 {
                    chosen = index
                    resolution.remoteAddr = address.description
                    resolution.remotePort = node.port ?? ""
                    break
                }
                index -= 1
            }
        }
        let protos = fields.contains(.xForwardedProto) ? Self.elements(self.forwardedProto) : []
        let hosts = fields.contains(.xForwardedHost) ? Self.elements(self.forwardedHost) : []
        resolution.urlScheme = Self.aligned(protos, with: addresses.count, at: chosen).flatMap(Self.scheme)
        resolution.host = Self.aligned(hosts, with: addresses.count, at: chosen).flatMap(Self.host)
        return resolution
    }

    private func resolveForwarded(trusting trusted: TrustedProxies) -> Resolution {
        let elements = Self.elements(self.forwarded).map(ForwardedElement.init)
        guard !elements.isEmpty else { return Resolution() }
        var index = elements.count - 1
        while index > 0, let address = elements[index].node?.address, trusted.trusts(address) {
            index -= 1
        }
        let element = elements[index]
        var resolution = Resolution()
        if let node = element.node, let address = node.address {
            resolution.remoteAddr = address.description
            resolution.remotePort = node.port ?? ""
        }
        resolution.urlScheme = element.proto.flatMap(Self.scheme)
        resolution.host = element.host.flatMap(Self.host)
        return resolution
    }

    /// The element of a list that goes with the chosen address: the one at the same place when
    /// the lists are as long, else the last (written by the nearest proxy).
    private static func aligned(_ list: [Substring], with count: Int, at index: Int?) -> Substring? {
        if let index, list.count == count { return list[index] }
        return list.last
    }

    private static func scheme(_ value: Substring) -> String? {
        switch value.lowercased() {
        case "http": "http"
        case "https": "https"
        default: nil
        }
    }

    private static func host(_ value: Substring) -> String? {
        !value.isEmpty && RequestHeadRules.isHost(value.utf8) ? String(value) : nil
    }

    /// The comma-separated elements of all the fields, in order, trimmed; commas inside quoted
    /// strings do not separate.
    static func elements(_ fields: [String]) -> [Substring] {
        var elements: [Substring] = []
        for field in fields {
            var start = field.startIndex
            var quoted = false
            var index = field.startIndex
            while index < field.endIndex {
                let character = field[index]
                if character == "\"" {
                    quoted.toggle()
                } else if character == "\\", quoted {
                    index = field.index(after: index)
                    if index == field.endIndex { break }
                } else if character == ",", !quoted {
                    elements.append(field[start..<index].trimmingWhitespace())
                    start = field.index(after: index)
                }
                index = field.index(after: index)
            }
            elements.append(field[start...].trimmingWhitespace())
        }
        return elements.filter { !$0.isEmpty }
    }
}

/// A node of `X-Forwarded-For` or of `Forwarded: for=`: `192.0.2.1`, `192.0.2.1:80`,
/// `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:4711`, or an obfuscated identifier or
/// `unknown`, which has no address.
struct Node {
    var address: IPAddress?
    var port: String?

    init?(_ text: Substring) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            self.address = IPAddress(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { self.port = Self.port(rest.dropFirst()) }
            guard self.address != nil, rest.isEmpty || self.port != nil else { return nil }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            self.address = IPAddress(text[..<colon])
            self.port = Self.port(text[text.index(after: colon)...])
            guard self.address != nil, self.port != nil else { return nil }
        } else if let address = IPAddress(text) {
            self.address = address
        } else if text.lowercased() == "unknown" || text.hasPrefix("_") {
            self.address = nil
        } else {
            return nil
        }
    }

    private static func port(_ text: Substring) -> String? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
            let value = Int(text), value <= 65535
        else { return nil }
        return String(value)
    }
}

/// One element of `Forwarded`: `for=...;proto=...;host=...;by=...`, names in any case, values
/// tokens or quoted strings.
private struct ForwardedElement {
    var node: Node?
    var proto: Substring?
    var host: Substring?

    init(_ element: Substring) {
        for pair in element.split(separator: ";") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = pair[..<equals].trimmingWhitespace().lowercased()
            var value = pair[pair.index(after: equals)...].trimmingWhitespace()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = value.dropFirst().dropLast()
            }
            switch name {
            case "for": self.node = Node(value)
            case "proto": self.proto = value
            case "host": self.host = value
            default: break
            }
        }
    }
}

/// Where the server listens: `HOST:PORT`, `[IPV6]:PORT`, or `unix:PATH`.
public enum BindTarget: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// The default, `127.0.0.1:8888`.
    public static let `default` = BindTarget.tcp(host: "127.0.0.1", port: 8888)

    /// Parses a `--bind` value, or returns nil when it has none of the accepted forms.
    public init?(parsing value: String) {
        if value.hasPrefix("unix:") {
            let path = value.dropFirst(5)
            guard !path.isEmpty else { return nil }
            self = .unix(path: String(path))
            return
        }
        let host: Substring
        let port: Substring
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { return nil }
            host = value[value.index(after: value.startIndex)..<close]
            let rest = value[value.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            port = rest.dropFirst()
        } else {
            guard let colon = value.lastIndex(of: ":") else { return nil }
            host = value[..<colon]
            port = value[value.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        }
        guard !host.isEmpty, !port.isEmpty, port.utf8.count <= 5,
            port.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let number = Int(port), number <= 65535
        else { return nil }
        self = .tcp(host: String(host), port: number)
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

/// Which forwarding fields of a trusted proxy the server believes (`--forwarded-headers`), as
/// Waitress's `trusted_proxy_headers`.
///
/// By default only `X-Forwarded-For` and `X-Forwarded-Proto`: the two fields every common proxy
/// configuration sets (nginx's `proxy_params`, the guides of Gunicorn and uvicorn), so that a
/// client's own value never reaches the server unchanged. `Forwarded` and `X-Forwarded-Host`
/// pass through those same configurations untouched, so believing them by default would let any
/// client behind such a proxy choose its address, scheme and host; they are believed only when
/// asked for, once the proxy is known to overwrite or clear them.
public struct ForwardedFields: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// RFC 7239 `Forwarded`: `for=`, `proto=` and `host=`.
    public static let forwarded = ForwardedFields(rawValue: 1 << 0)
    public static let xForwardedFor = ForwardedFields(rawValue: 1 << 1)
    public static let xForwardedProto = ForwardedFields(rawValue: 1 << 2)
    public static let xForwardedHost = ForwardedFields(rawValue: 1 << 3)

    /// `x-forwarded-for,x-forwarded-proto`.
    public static let `default`: ForwardedFields = [.xForwardedFor, .xForwardedProto]
    public static let all: ForwardedFields = [.forwarded, .xForwardedFor, .xForwardedProto, .xForwardedHost]

    /// Each field with its name as `--forwarded-headers` spells it, in the order they print.
    private static let names: [(ForwardedFields, String)] = [
        (.forwarded, "forwarded"), (.xForwardedFor, "x-forwarded-for"), (.xForwardedProto, "x-forwarded-proto"),
        (.xForwardedHost, "x-forwarded-host"),
    ]

    /// Parses a comma-separated list of field names, in any case, or `none`.
    public init(parsing list: String) throws(TrustedProxies.ParseError) {
        let items = list.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
        self = []
        if items == ["none"] { return }
        for item in items {
            guard let field = Self.names.first(where: { $0.1 == item })?.0 else {
                let known = Self.names.map(\.1).joined(separator: ", ")
                throw TrustedProxies.ParseError(
                    description: "'\(item)' is not a forwarding header swiftserve reads: give some of \(known), or none"
                )
            }
            self.insert(field)
        }
    }

    public var description: String {
        self.isEmpty ? "none" : Self.names.filter { self.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}

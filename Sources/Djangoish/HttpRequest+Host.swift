extension HttpRequest {
    /// The host the client asked for (the Host header, else SERVER_NAME and port), checked against
    /// `ALLOWED_HOSTS`: Django's `get_host()`. Throws `DisallowedHost`, answered 400, for a host
    /// that is malformed or not allowed, so a forged Host never reaches URLs the site builds.
    public func getHost() throws -> String {
        let host = self.environ.host
        guard let domain = Self.domain(of: host) else {
            throw DisallowedHost(
                host: host,
                message:
                    "Invalid HTTP_HOST header: '\(host)'. The domain name provided is not valid according to RFC 1034/1035."
            )
        }
        guard Settings.current.allowsHost(domain) else {
            throw DisallowedHost(
                host: host,
                message: "Invalid HTTP_HOST header: '\(host)'. You may need to add '\(domain)' to ALLOWED_HOSTS.")
        }
        return host
    }

    /// `scheme://host` followed by `location` (the full path when nil), or `location` itself when it
    /// is already absolute: Django's `build_absolute_uri`.
    public func buildAbsoluteURI(_ location: String? = nil) throws -> String {
        let location = location ?? self.getFullPath()
        if location.contains("://") { return location }
        return "\(self.scheme)://\(try self.getHost())" + (location.hasPrefix("/") ? "" : "/") + location
    }

    /// The domain of a Host value, lower-cased without its port and trailing dot, or nil when the
    /// value is not `name[:port]` or `[ipv6][:port]` (Django's `split_domain_port`).
    static func domain(of host: String) -> String? {
        let host = host.lowercased()
        let name: Substring
        let port: Substring
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            name = host[...close]
            port = host[host.index(after: close)...]
            let address = name.dropFirst().dropLast()
            guard address.contains(":"), address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return nil
            }
        } else {
            let colon = host.lastIndex(of: ":") ?? host.endIndex
            name = host[..<colon]
            port = host[colon...]
            guard !name.isEmpty,
                name.allSatisfy({ ("0"..."9").contains($0) || ("a"..."z").contains($0) || $0 == "." || $0 == "-" })
            else { return nil }
        }
        guard
            port.isEmpty
                || (port.count > 1 && port.hasPrefix(":") && port.dropFirst().allSatisfy { ("0"..."9").contains($0) })
        else { return nil }
        return String(name.hasSuffix(".") ? name.dropLast() : name)
    }
}

extension Settings {
    /// Whether `domain` (lower-cased, without port or trailing dot) matches `ALLOWED_HOSTS`, as
    /// Django's `validate_host` decides.
    func allowsHost(_ domain: String) -> Bool {
        let patterns =
            self.debug && self.allowedHosts.isEmpty ? [".localhost", "127.0.0.1", "[::1]"] : self.allowedHosts
        return patterns.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern == "*" { return true }
            if pattern.hasPrefix(".") {
                return domain.hasSuffix(pattern) || domain == pattern.dropFirst()
            }
            return domain == pattern
        }
    }
}

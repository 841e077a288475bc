extension HeaderFields {
    /// The SameSite attribute of a cookie: when the browser sends it with cross-site requests.
    public enum SameSite: String, Sendable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    /// Adds a Set-Cookie header.
    ///
    /// Bytes of the name and value that a cookie cannot hold as they are (spaces, `;`, `"`, `%`,
    /// non-ASCII, ...) are percent-encoded; `Environ.cookies` decodes them.
    ///
    /// - Parameter maxAge: Seconds until the cookie expires; nil for a session cookie.
    public mutating func setCookie(
        _ name: String, _ value: String, maxAge: Int? = nil, path: String? = "/", domain: String? = nil,
        secure: Bool = false, httpOnly: Bool = false, sameSite: SameSite? = nil
    ) {
        var cookie = CookieCoding.encodeName(name) + "=" + CookieCoding.encodeValue(value)
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        if let path { cookie += "; Path=" + CookieCoding.encodeAttribute(path) }
        if let domain { cookie += "; Domain=" + CookieCoding.encodeAttribute(domain) }
        if secure { cookie += "; Secure" }
        if httpOnly { cookie += "; HttpOnly" }
        if let sameSite { cookie += "; SameSite=\(sameSite.rawValue)" }
        self.add("Set-Cookie", cookie)
    }

    /// Adds a Set-Cookie header that makes the browser forget the cookie `name`; `path` and
    /// `domain` must be those it was set with.
    public mutating func deleteCookie(_ name: String, path: String? = "/", domain: String? = nil) {
        var cookie = CookieCoding.encodeName(name) + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        if let path { cookie += "; Path=" + CookieCoding.encodeAttribute(path) }
        if let domain { cookie += "; Domain=" + CookieCoding.encodeAttribute(domain) }
        self.add("Set-Cookie", cookie)
    }
}

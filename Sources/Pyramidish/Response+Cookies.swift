import SSGI

extension Response {
    /// Adds a Set-Cookie header; the name and value are percent-encoded where a cookie cannot hold
    /// them as they are, and `Request.cookies` decodes them.
    ///
    /// - Parameter maxAge: Seconds until the cookie expires; nil for a session cookie.
    public mutating func setCookie(
        _ name: String, _ value: String, maxAge: Int? = nil, path: String? = "/", domain: String? = nil,
        secure: Bool = false, httpOnly: Bool = false, sameSite: HeaderFields.SameSite? = nil
    ) {
        self.headers.setCookie(
            name, value, maxAge: maxAge, path: path, domain: domain, secure: secure, httpOnly: httpOnly,
            sameSite: sameSite)
    }

    /// Adds a Set-Cookie header that makes the browser forget the cookie `name`; `path` and
    /// `domain` must be those it was set with.
    public mutating func deleteCookie(_ name: String, path: String? = "/", domain: String? = nil) {
        self.headers.deleteCookie(name, path: path, domain: domain)
    }
}

extension Environ {
    /// The query string's parameters, decoded, in order.
    public var query: MultiDict { PercentEncoding.parseForm(self.queryString[...]) }

    /// The cookies of the Cookie header, by name.
    public var cookies: [String: String] { self.header("Cookie").map(CookieCoding.parse) ?? [:] }

    /// The media type of the body, lower-cased and without parameters, such as `application/json`;
    /// empty when the request has none.
    public var mediaType: String {
        let type = self.contentType[...]
        let mediaType = type.firstIndex(of: ";").map { type[..<$0] } ?? type
        return mediaType.trimmingSpaces.lowercased()
    }

    /// Whether the body is an HTML form, `application/x-www-form-urlencoded`.
    public var hasFormBody: Bool { self.mediaType == "application/x-www-form-urlencoded" }
}

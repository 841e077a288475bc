/// A redirect to `url`: 302 Found, or 301 Moved Permanently when `permanent` (Django's
/// `HttpResponseRedirect` and `HttpResponsePermanentRedirect`).
///
/// The URL is percent-encoded where it holds spaces, non-ASCII or control characters (Django's
/// `iri_to_uri`), and one with a scheme other than http, https or ftp is refused with
/// `DisallowedRedirect`, so that a user-supplied `javascript:` URL never becomes a Location.
public struct HttpResponseRedirect: HttpResponseConvertible {
    /// Where the client is sent, as given.
    public let url: String
    public var httpResponse: HttpResponse

    public init(_ url: String, permanent: Bool = false, headers: HeaderFields = [:]) throws {
        if let scheme = Self.scheme(of: url), !["http", "https", "ftp"].contains(scheme.lowercased()) {
            throw DisallowedRedirect(url: url)
        }
        self.url = url
        self.httpResponse = HttpResponse(status: permanent ? .movedPermanently : .found, headers: headers)
        self.httpResponse["Location"] = PercentEncoding.encode(url) { byte in
            byte > 0x20 && byte < 0x7F && !"\"<>\\^`{|}".utf8.contains(byte)
        }
    }

    /// The URL's scheme, the letters before a `:` that comes before any `/`, `?` or `#`.
    private static func scheme(of url: String) -> Substring? {
        let trimmed = url.drop { ($0.asciiValue ?? 0x7F) <= 0x20 }
        guard let colon = trimmed.firstIndex(where: { ":/?#".contains($0) }), trimmed[colon] == ":" else { return nil }
        return trimmed[..<colon]
    }
}

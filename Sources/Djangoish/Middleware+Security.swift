extension Middleware {
    /// Django's `SecurityMiddleware`: redirects http to https with `SECURE_SSL_REDIRECT`, and adds
    /// X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy and (on https, with
    /// `SECURE_HSTS_SECONDS`) Strict-Transport-Security to responses that do not set them.
    public static let security = Middleware { getResponse in
        { request in
            let settings = Settings.current
            if settings.secureSSLRedirect, !request.isSecure {
                return try HttpResponseRedirect(
                    "https://\(try request.getHost())\(request.getFullPath())", permanent: true
                )
                .httpResponse
            }
            var response = try await getResponse(request)
            func setDefault(_ name: String, _ value: String?) {
                if let value, !response.headers.contains(name) { response[name] = value }
            }
            if settings.secureHSTSSeconds > 0, request.isSecure {
                setDefault("Strict-Transport-Security", "max-age=\(settings.secureHSTSSeconds)")
            }
            setDefault("X-Content-Type-Options", settings.secureContentTypeNosniff ? "nosniff" : nil)
            setDefault("Referrer-Policy", settings.secureReferrerPolicy)
            setDefault("Cross-Origin-Opener-Policy", settings.secureCrossOriginOpenerPolicy)
            return response
        }
    }
}

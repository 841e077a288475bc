/// A project's settings, Django's `settings.py` as a value: each property names the Django setting
/// it stands for.
///
/// While a project handles a request, `Settings.current` holds its settings, as Django's
/// `django.conf.settings` does; `Settings.$current.withValue(...)` overrides them for a piece of
/// code (Django's `override_settings`).
public struct Settings: Sendable {
    /// The settings in effect: the handling project's during a request, the defaults elsewhere.
    @TaskLocal public static var current = Settings()

    /// `DEBUG`: show debug pages (the URL patterns tried on a 404, the error on a 500). Never in production.
    public var debug: Bool
    /// `ALLOWED_HOSTS`: the host names the site serves. A request whose Host header matches none is
    /// answered 400. `.example.com` matches the domain and its subdomains, `*` matches any host. Empty
    /// with `debug` on allows `localhost`, `127.0.0.1` and `[::1]`.
    public var allowedHosts: [String]
    /// `DEFAULT_CHARSET`: how string content is encoded, and the charset named in the default Content-Type.
    public var defaultCharset: Charset
    /// `APPEND_SLASH`: `CommonMiddleware` redirects `/users/7` to `/users/7/` when only the latter matches.
    public var appendSlash: Bool
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE`: the largest request body read, in bytes (default 2.5 MiB, as
    /// Django's). Reading `body`, `POST` or `json()` of a larger request throws `RequestDataTooBig`,
    /// answered 413; the body is never read past this limit.
    public var dataUploadMaxMemorySize: Int
    /// `SECURE_CONTENT_TYPE_NOSNIFF`: `SecurityMiddleware` sends `X-Content-Type-Options: nosniff`.
    public var secureContentTypeNosniff: Bool
    /// `SECURE_REFERRER_POLICY`: the Referrer-Policy `SecurityMiddleware` sends, if any.
    public var secureReferrerPolicy: String?
    /// `SECURE_CROSS_ORIGIN_OPENER_POLICY`: the Cross-Origin-Opener-Policy `SecurityMiddleware` sends, if any.
    public var secureCrossOriginOpenerPolicy: String?
    /// `SECURE_HSTS_SECONDS`: when above 0, `SecurityMiddleware` sends Strict-Transport-Security on https.
    public var secureHSTSSeconds: Int
    /// `SECURE_SSL_REDIRECT`: `SecurityMiddleware` redirects http requests to https.
    public var secureSSLRedirect: Bool
    /// `X_FRAME_OPTIONS`: the X-Frame-Options value `xFrameOptions` middleware sends.
    public var xFrameOptions: String

    /// Settings with Django's defaults for everything not given.
    public init(
        debug: Bool = false,
        allowedHosts: [String] = [],
        defaultCharset: Charset = .utf8,
        appendSlash: Bool = true,
        dataUploadMaxMemorySize: Int = 2_621_440,
        secureContentTypeNosniff: Bool = true,
        secureReferrerPolicy: String? = "same-origin",
        secureCrossOriginOpenerPolicy: String? = "same-origin",
        secureHSTSSeconds: Int = 0,
        secureSSLRedirect: Bool = false,
        xFrameOptions: String = "DENY"
    ) {
        self.debug = debug
        self.allowedHosts = allowedHosts
        self.defaultCharset = defaultCharset
        self.appendSlash = appendSlash
        self.dataUploadMaxMemorySize = dataUploadMaxMemorySize
        self.secureContentTypeNosniff = secureContentTypeNosniff
        self.secureReferrerPolicy = secureReferrerPolicy
        self.secureCrossOriginOpenerPolicy = secureCrossOriginOpenerPolicy
        self.secureHSTSSeconds = secureHSTSSeconds
        self.secureSSLRedirect = secureSSLRedirect
        self.xFrameOptions = xFrameOptions
    }
}

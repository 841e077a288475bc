extension Middleware {
    /// Django's `XFrameOptionsMiddleware`: sets X-Frame-Options to `X_FRAME_OPTIONS` (`DENY`) on
    /// responses that do not set it, so pages cannot be framed by other sites (clickjacking).
    public static let xFrameOptions = Middleware { getResponse in
        { request in
            var response = try await getResponse(request)
            if !response.headers.contains("X-Frame-Options") {
                response["X-Frame-Options"] = Settings.current.xFrameOptions
            }
            return response
        }
    }
}

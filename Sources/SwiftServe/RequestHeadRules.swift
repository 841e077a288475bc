import NIOHTTP1
import SSGI

/// What a request head must say for the server to serve it unambiguously, beyond what the parser
/// checks: answered by the server, never seen by the application.
enum RequestHeadRules {
    /// The status to refuse `head` with, or nil when it may be served.
    static func refusal(of head: HTTPRequestHead) -> HTTPStatus? {
        // RFC 9112 §3.2: an HTTP/1.1 request carries exactly one Host.
        var hosts = 0
        var codings = 0
        var onlyChunked = true
        for (name, value) in head.headers {
            if ResponseRules.name(name.utf8, is: "host") {
                hosts += 1
            } else if ResponseRules.name(name.utf8, is: "transfer-encoding") {
                codings += 1
                onlyChunked = onlyChunked && ResponseRules.name(value.utf8, is: "chunked")
            }
        }
        if head.version.minor >= 1, hosts != 1 { return .badRequest }
        // The only transfer coding the server decodes is chunked; anything else cannot be framed.
        if codings > 0, codings > 1 || !onlyChunked { return .notImplemented }
        return nil
    }
}

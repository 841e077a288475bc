import NIOHTTP1
import SSGI

/// What a request head must say for the server to serve it unambiguously, beyond what the parser
/// checks: answered by the server, never seen by the application.
enum RequestHeadRules {
    /// The status to refuse `head` with, or nil when it may be served.
    static func refusal(of head: HTTPRequestHead) -> HTTPStatus? {
        // RFC 9112 §3.2: an HTTP/1.1 request carries exactly one Host.
        if head.version.minor >= 1, head.headers["host"].count != 1 { return .badRequest }
        // The only transfer coding the server decodes is chunked; anything else cannot be framed.
        let codings = head.headers["transfer-encoding"]
        if !codings.isEmpty, codings.count > 1 || codings[0].lowercased() != "chunked" { return .notImplemented }
        return nil
    }
}

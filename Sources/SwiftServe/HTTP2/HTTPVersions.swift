/// Which HTTP versions the server speaks (`--http`): on TLS binds chosen by ALPN (h2, then
/// http/1.1); on plain binds a connection that opens with the HTTP/2 preface is served as h2c.
public enum HTTPVersions: String, Sendable, CaseIterable {
    /// HTTP/1.1 and HTTP/2, whichever the client chooses.
    case auto
    /// HTTP/1.1 (and 1.0) only.
    case http1 = "1"
    /// HTTP/2 only: over TLS by ALPN, on plain binds with prior knowledge.
    case http2 = "2"
}

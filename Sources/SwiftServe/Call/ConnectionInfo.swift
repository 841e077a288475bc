import NIOCore

/// What the environ says about the connection itself, worked out once when it opens.
struct ConnectionInfo: Sendable {
    /// SERVER_NAME and SERVER_PORT when the request has no Host header; an IPv6 name is bracketed.
    var serverName: String
    var serverPort: String
    /// REMOTE_ADDR and REMOTE_PORT: empty on a unix socket.
    var remoteAddr: String
    var remotePort: String
    /// `ssgi.url_scheme`.
    var urlScheme: String
    /// Whether the peer is a trusted proxy, whose forwarding headers are believed.
    var isTrustedProxy = false
    /// `SSL_CLIENT_S_DN`: the subject of the client's verified certificate (RFC 4514), or empty.
    var tlsClientSubject = ""

    init(
        local: SocketAddress?, remote: SocketAddress?, urlScheme: String = "http",
        trusting proxies: TrustedProxies? = nil
    ) {
        switch local {
        case .v4:
            self.serverName = local?.ipAddress ?? ""
            self.serverPort = local?.port.map(String.init) ?? ""
        case .v6:
            // Bracketed, as in a Host header, so that SERVER_NAME:SERVER_PORT is a valid authority.
            self.serverName = "[\(local?.ipAddress ?? "")]"
            self.serverPort = local?.port.map(String.init) ?? ""
        default:
            self.serverName = "localhost"
            self.serverPort = ""
        }
        switch remote {
        case .v4, .v6:
            self.remoteAddr = remote?.ipAddress ?? ""
            self.remotePort = remote?.port.map(String.init) ?? ""
        default:
            self.remoteAddr = ""
            self.remotePort = ""
        }
        self.urlScheme = urlScheme
        self.isTrustedProxy = proxies?.trusts(peer: remote) ?? false
    }
}

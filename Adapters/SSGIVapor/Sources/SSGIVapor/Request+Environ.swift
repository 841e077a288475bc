import NIOCore
import SSGI
import Vapor

extension Request {
    /// The Vapor request for an SSGI environ, as Vapor's HTTP server would have decoded it from the
    /// same bytes: the method, the request target as sent (path and query, still percent-encoded),
    /// the HTTP version, the headers as received, and the client's address.
    ///
    /// A collected body sets Content-Length (and drops Transfer-Encoding), as it does in Vapor.
    convenience init(
        environ: Environ, collectedBody: ByteBuffer?, application: Application, logger: Logger,
        on eventLoop: any EventLoop
    ) {
        self.init(
            application: application,
            method: HTTPMethod(rawValue: environ.requestMethod),
            // `URI(path:)`, as Vapor's server uses: a target such as `//a/b` is a path, not a host.
            url: URI(path: environ.requestURI),
            version: Self.version(environ.serverProtocol),
            headers: HTTPHeaders(environ.headers.map { ($0.name, $0.value) }),
            collectedBody: collectedBody,
            remoteAddress: Self.address(environ.remoteAddr, port: environ.remotePort),
            logger: logger,
            on: eventLoop
        )
    }

    /// `HTTP/1.0`, `HTTP/1.1` or `HTTP/2`; anything else is taken as 1.1.
    private static func version(_ serverProtocol: String) -> HTTPVersion {
        switch serverProtocol {
        case "HTTP/1.0": .http1_0
        case "HTTP/2": HTTPVersion(major: 2, minor: 0)
        default: .http1_1
        }
    }

    /// REMOTE_ADDR and REMOTE_PORT as a socket address; nil on a unix socket (both empty).
    private static func address(_ host: String, port: String) -> SocketAddress? {
        guard !host.isEmpty else { return nil }
        return try? SocketAddress(ipAddress: host, port: Int(port) ?? 0)
    }
}

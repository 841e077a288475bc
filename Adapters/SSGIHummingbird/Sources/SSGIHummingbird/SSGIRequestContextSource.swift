import Hummingbird
import Logging
import NIOCore
import SSGI

/// What the adapter makes each request's context from, in place of the `ApplicationRequestContextSource`
/// Hummingbird's server uses: a logger and the request's environ, but no NIO `Channel` (the
/// connection belongs to the server, on the other side of the C boundary).
///
/// A context of the application's own conforms to `RequestContext` with this as its `Source`:
///
/// ```swift
/// struct AppContext: RequestContext {
///     var coreContext: CoreRequestContextStorage
///     let clientAddress: String
///
///     init(source: SSGIRequestContextSource) {
///         self.coreContext = .init(source: source)
///         self.clientAddress = source.environ.remoteAddr
///     }
/// }
/// ```
public struct SSGIRequestContextSource: RequestContextSource, Sendable {
    /// The request's logger, with its `hb.request.id` metadata.
    public let logger: Logger
    /// The environ of the request: its CGI values, headers and `ssgi.*` keys.
    public let environ: Environ

    public init(logger: Logger, environ: Environ) {
        self.logger = logger
        self.environ = environ
    }

    /// The client's address and port (`REMOTE_ADDR`, `REMOTE_PORT`): the peer of the connection, a
    /// proxy when there is one; nil on a unix socket.
    public var remoteAddress: SocketAddress? {
        guard !self.environ.remoteAddr.isEmpty else { return nil }
        return try? SocketAddress(ipAddress: self.environ.remoteAddr, port: Int(self.environ.remotePort) ?? 0)
    }
}

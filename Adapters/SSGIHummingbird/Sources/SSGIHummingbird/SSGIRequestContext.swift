import Hummingbird
import NIOCore
import SSGI

/// The request context for applications served through SSGI: what `BasicRequestContext` is for
/// Hummingbird's server, made from a ``SSGIRequestContextSource``.
///
/// Use it as the router's context: `Router(context: SSGIRequestContext.self)`. It gives routes and
/// middleware everything `BasicRequestContext` does (logger, parameters, JSON coding, the 2 MiB
/// `maxUploadSize`), the client's address as a `RemoteAddressRequestContext` (which
/// `TracingMiddleware` reads), and the request's environ.
public struct SSGIRequestContext: RequestContext, RemoteAddressRequestContext {
    public typealias Source = SSGIRequestContextSource

    public var coreContext: CoreRequestContextStorage
    /// The client's address and port; nil on a unix socket.
    public let remoteAddress: SocketAddress?
    /// The environ of the request, for what Hummingbird's `Request` does not carry (`SERVER_NAME`,
    /// `ssgi.multiprocess`, ...).
    public let environ: Environ

    public init(source: SSGIRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.remoteAddress
        self.environ = source.environ
    }
}

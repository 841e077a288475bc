import Logging
import NIOCore

/// The handlers that serve an SSGI application over HTTP/1.1 on one connection, in the order bytes
/// meet them: the PROXY protocol header (on `proxy:` binds), and the connection handler, which
/// parses requests, runs them and writes their responses.
///
/// `Server` puts them on every connection it accepts; a test or a fuzzer puts them on a channel
/// of its own, such as an `EmbeddedChannel`, and so drives exactly the server's request path.
public struct ConnectionPipeline: Sendable {
    let server: ServerContext

    init(server: ServerContext) {
        self.server = server
    }

    /// A pipeline for `application` with `configuration`, without an access log.
    public init(application: LoadedApplication, configuration: ServerConfiguration, logger: Logger) {
        self.server = ServerContext(
            application: application, configuration: configuration,
            requestFlags: ServerContext.requestFlags(
                application: application, configuration: configuration, asWorker: false),
            accessLog: nil, logger: logger)
    }

    /// Adds the handlers to `channel`; call it on the channel's event loop, before it is active.
    public func configure(_ channel: any Channel, proxyProtocol: Bool = false) throws {
        let pipeline = channel.pipeline.syncOperations
        if proxyProtocol {
            try pipeline.addHandler(
                ProxyProtocolHandler(trusting: self.server.configuration.forwardedAllowIPs, logger: self.server.logger))
        }
        try pipeline.addHandler(HTTP1ConnectionHandler(server: self.server))
    }
}

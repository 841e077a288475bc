import Logging
import NIOCore
import NIOHTTP2
import NIOSSL
import NIOTLS

/// The handlers that serve an SSGI application on one connection, in the order bytes meet them:
/// the PROXY protocol header (on `proxy:` binds), TLS (on TCP binds, with `--certfile`), then
/// either the HTTP/1.1 connection handler or HTTP/2, one `HTTP2Stream` per request, as ALPN or
/// the first bytes (the h2c preface) choose.
///
/// `Server` puts them on every connection it accepts; a test or a fuzzer puts them on a channel
/// of its own, such as an `EmbeddedChannel`, and so drives exactly the server's request path.
public struct ConnectionPipeline: Sendable {
    let server: ServerContext
    /// The TLS context of this process, when TCP binds serve HTTPS.
    let tls: NIOSSLContext?

    init(server: ServerContext, tls: NIOSSLContext? = nil) {
        self.server = server
        self.tls = tls
    }

    /// A pipeline for `application` with `configuration`, without an access log.
    public init(application: LoadedApplication, configuration: ServerConfiguration, logger: Logger) {
        self.server = ServerContext(
            application: application, configuration: configuration,
            requestFlags: ServerContext.requestFlags(
                application: application, configuration: configuration, asWorker: false),
            accessLog: nil, logger: logger)
        self.tls = nil
    }

    /// Adds the handlers to `channel`; call it on the channel's event loop, before it is active.
    public func configure(_ channel: any Channel, proxyProtocol: Bool = false) throws {
        let pipeline = channel.pipeline.syncOperations
        let trusted = self.server.configuration.forwardedAllowIPs
        if let counters = self.server.counters?.counters(for: channel.eventLoop) {
            try pipeline.addHandler(ConnectionCountingHandler(counters: counters))
        }
        if proxyProtocol {
            try pipeline.addHandler(ProxyProtocolHandler(trusting: trusted, logger: self.server.logger))
        }
        var tls = self.tls
        if case .unixDomainSocket = channel.localAddress { tls = nil }
        let versions = self.server.configuration.httpVersions
        if tls == nil, versions == .http1 {
            try pipeline.addHandler(HTTP1ConnectionHandler(server: self.server))
            return
        }
        let urlScheme = tls == nil ? "http" : "https"
        let shared = HTTP2ConnectionState(
            connection: ConnectionInfo(
                local: channel.localAddress, remote: channel.remoteAddress, urlScheme: urlScheme, trusting: trusted),
            serverSoftware: self.server.configuration.serverSoftware,
            makesRequestIds: self.server.configuration.requestIds)
        let events = HTTP2EventHandler(
            shared: shared, trusting: trusted, timeout: self.server.configuration.headerTimeout)
        try pipeline.addHandler(events)
        let server = self.server
        let configureProtocol: (Bool, any Channel) throws -> Void = { http2, channel in
            let pipeline = channel.pipeline.syncOperations
            let subject = Self.clientSubject(channel)
            if http2 {
                shared.connection.tlsClientSubject = subject
                try Self.configureHTTP2(channel, server: server, shared: shared)
                events.replayForHTTP2()
            } else {
                try pipeline.addHandler(
                    HTTP1ConnectionHandler(server: server, urlScheme: urlScheme, tlsClientSubject: subject))
                events.replayForHTTP1()
                pipeline.removeHandler(events, promise: nil)
            }
        }
        guard let tls else {
            if versions == .http2 {
                try configureProtocol(true, channel)
            } else {
                try pipeline.addHandler(HTTP2PrefaceDetector(configure: configureProtocol))
            }
            return
        }
        try pipeline.addHandler(NIOSSLServerHandler(context: tls))
        let logger = self.server.logger
        try pipeline.addHandler(
            ApplicationProtocolNegotiationHandler { result, channel in
                channel.eventLoop.makeCompletedFuture {
                    switch result {
                    case .negotiated("h2"): try configureProtocol(true, channel)
                    case .negotiated: try configureProtocol(false, channel)
                    case .fallback:
                        if versions == .http2 { logger.debug("TLS client offered no ALPN protocol: serving HTTP/2") }
                        try configureProtocol(versions == .http2, channel)
                    }
                }
            })
    }

    /// The subject of the client's verified certificate, once the TLS handshake is done; empty
    /// without TLS or without a client certificate.
    private static func clientSubject(_ channel: any Channel) -> String {
        guard let tls = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
            let certificate = tls.peerCertificate, let der = try? certificate.toDERBytes()
        else { return "" }
        return CertificateSubject.rfc4514(der: der) ?? ""
    }

    /// The request body bytes a client may send on one HTTP/2 stream, and on one connection,
    /// before the server reads them: what flow control lets a connection buffer at most, beside
    /// what the calls hold (`RequestLimits.bodyBuffer` each).
    static let http2StreamWindow = 256 * 1024
    static let http2ConnectionWindow = 1024 * 1024

    /// Adds HTTP/2 to `channel`: the frame handler with the server's limits, the connection's
    /// lifecycle (idle timeout, GOAWAY on a graceful stop), and the handler that serves its streams.
    private static func configureHTTP2(_ channel: any Channel, server: ServerContext, shared: HTTP2ConnectionState)
        throws
    {
        let configuration = server.configuration
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: configuration.http2MaxConcurrentStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: configuration.http2MaxHeaderListSize),
            HTTP2Setting(parameter: .initialWindowSize, value: Self.http2StreamWindow),
        ]
        let pipeline = channel.pipeline.syncOperations
        if let counters = server.counters?.counters(for: channel.eventLoop) {
            try pipeline.addHandler(ByteCountingHandler(counters: counters))
        }
        try pipeline.addHandler(NIOHTTP2Handler(mode: .server, connectionConfiguration: connection))
        try pipeline.addHandler(HTTP2GracefulStopHandler(idleTimeout: configuration.keepAliveTimeout))
        try pipeline.addHandler(HTTP2ConnectionHandler(server: server, shared: shared))
    }
}

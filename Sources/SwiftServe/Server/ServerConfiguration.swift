import Glibc
import NIOCore

/// Everything that shapes how the server runs, with defaults a user of Gunicorn would expect.
public struct ServerConfiguration: Sendable {
    /// The sockets to listen on.
    public var binds: [BindTarget] = [.default]
    /// Event-loop (I/O) threads.
    public var threads: Int = System.coreCount
    /// Limits on request heads and bodies.
    public var limits = RequestLimits()
    /// How long a client may take to send a complete request head: from the moment a new
    /// connection is accepted, or from the first byte of a request that follows another.
    public var headerTimeout: TimeAmount = .seconds(30)
    /// How long a kept-alive connection may stay idle between a response and the next request.
    public var keepAliveTimeout: TimeAmount = .seconds(5)
    /// The least rate at which a request body must arrive while the server waits for it.
    public var minBodyRate = 1024
    /// How long a response may stay blocked on a client that does not read it before the
    /// connection is closed.
    public var sendTimeout: TimeAmount = .seconds(60)
    /// Most open connections per worker process: at the cap the server stops accepting, and new
    /// clients wait in the listen backlog until a connection closes.
    public var workerConnections = 1000
    /// Response bytes buffered per connection before the application's writes wait for the
    /// client (NIO's write-buffer water marks).
    public var writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 32 * 1024, high: 64 * 1024)
    /// How long in-flight requests may run after a stop signal before their connections are closed.
    public var gracefulTimeout: TimeAmount = .seconds(30)
    /// The peers whose `Forwarded` and `X-Forwarded-*` headers, and PROXY protocol headers, are believed.
    public var forwardedAllowIPs = TrustedProxies.default
    /// More sockets to listen on, where every connection starts with a PROXY protocol (v1 or v2)
    /// header from a trusted load balancer.
    public var proxyProtocolBinds: [BindTarget] = []
    /// The user and group to serve as, switched to after binding and before loading the
    /// application (`--user`, `--group`).
    public var privileges: Privileges?
    /// The file-mode mask unix sockets are created with (`--umask`); nil keeps the process's.
    public var unixSocketUmask: mode_t?
    /// Where to write the access log, if anywhere: `-` is standard output.
    public var accessLog: String?
    /// Keep a client's valid `X-Request-Id` or make one, give it to the application, and send
    /// it back with the response (`--request-id`).
    public var requestIds = false
    /// How the access log writes a line (`--access-log-format`).
    public var accessLogFormat = AccessLogFormat.common
    /// Where to serve `/metrics` and `/healthz` (`--metrics-bind`), if anywhere.
    public var metricsBind: BindTarget?
    /// Print every request and response head, as `curl -v` does.
    public var debugHTTP = false
    /// Check every request and response against the specification with the SDK's validator.
    public var validate = false
    /// With certificate and key files: every TCP bind serves HTTPS (`--certfile`, `--keyfile`).
    public var tls: TLSOptions?
    /// The HTTP versions served (`--http`).
    public var httpVersions = HTTPVersions.auto
    /// Most streams one HTTP/2 connection may have open at once (`--http2-max-streams`).
    public var http2MaxConcurrentStreams = 100
    /// The largest HTTP/2 header list (RFC 9113 §6.5.2, names and values plus 32 bytes a field)
    /// a client may send; over it, the connection is closed.
    public var http2MaxHeaderListSize = 65536
    /// The `Server` header and `server_software` string: the server's name and version.
    public var serverSoftware = "swiftserve/\(SwiftServeVersion.current)"

    public init() {}
}

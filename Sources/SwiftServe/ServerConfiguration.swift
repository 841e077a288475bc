import NIOCore

/// Everything that shapes how the server runs, with defaults a user of Gunicorn would expect.
public struct ServerConfiguration: Sendable {
    /// The sockets to listen on.
    public var binds: [BindTarget] = [.default]
    /// Event-loop (I/O) threads.
    public var threads: Int = System.coreCount
    /// Limits on request heads and bodies.
    public var limits = RequestLimits()
    /// How long a client may take to send a complete request head, including the wait for the next
    /// request on a kept-alive connection.
    public var headerTimeout: TimeAmount = .seconds(30)
    /// How long in-flight requests may run after a stop signal before their connections are closed.
    public var gracefulTimeout: TimeAmount = .seconds(30)
    /// Where to write the access log (Common Log Format), if anywhere: `-` is standard output.
    public var accessLog: String?
    /// Print every request and response head, as `curl -v` does.
    public var debugHTTP = false
    /// Check every request and response against the specification with the SDK's validator.
    public var validate = false
    /// The `Server` header and `server_software` string.
    public var serverSoftware = "swiftserve"

    public init() {}
}

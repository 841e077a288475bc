import NIOCore

/// How the master runs its workers: how many, how it watches them, when it replaces them.
public struct ArbiterConfiguration: Sendable {
    /// Worker processes to keep running; changed at run time by SIGTTIN and SIGTTOU.
    public var workers = 1
    /// How long a worker may go without a heartbeat before it is killed and replaced; nil never.
    public var timeout: TimeAmount? = .seconds(30)
    /// Requests after which a worker is replaced; nil never.
    public var maxRequests: Int?
    /// At most this many requests more, chosen at random for each worker, so that workers started
    /// together are not all replaced at once.
    public var maxRequestsJitter = 0
    /// Reload when the application's library changes on disk, as on SIGHUP.
    public var reload = false
    /// How long stopping workers may take to finish their requests (`--graceful-timeout`).
    public var gracefulTimeout: TimeAmount = .seconds(30)
    /// The access log the workers write, which the master prepares for them again before it
    /// passes SIGUSR1 on (`AccessLog.prepare`), and the user and group they switch to.
    public var accessLog: String?
    public var privileges: Privileges?

    public init() {}
}

import CSSGI
import Logging

/// What every connection shares: the application, the configuration and the logs.
final class ServerContext: Sendable {
    let application: LoadedApplication
    let configuration: ServerConfiguration
    /// `SSGI_FLAG_*` bits for every request.
    let requestFlags: UInt32
    let accessLog: AccessLog?
    /// Told of every request, when this process is a worker that counts them (`--max-requests`).
    let requestStarted: (@Sendable () -> Void)?
    let trace: HTTPTrace?
    /// The requests the application holds, which a stopping server waits for.
    let heldRequests = HeldRequests()
    let logger: Logger

    init(
        application: LoadedApplication, configuration: ServerConfiguration, requestFlags: UInt32,
        accessLog: AccessLog?, requestStarted: (@Sendable () -> Void)? = nil, logger: Logger
    ) {
        self.application = application
        self.configuration = configuration
        self.requestFlags = requestFlags
        self.accessLog = accessLog
        self.requestStarted = requestStarted
        self.trace = configuration.debugHTTP ? HTTPTrace() : nil
        self.logger = logger
    }

    /// The `ssgi.*` flags for `application` served with `configuration`: multithread when more
    /// than one I/O thread runs, or the application's code does not run on the I/O thread;
    /// multiprocess in a worker, one of several processes that may serve the application at once
    /// (during a reload, if not always).
    static func requestFlags(application: LoadedApplication, configuration: ServerConfiguration, asWorker: Bool)
        -> UInt32
    {
        let multithread = configuration.threads > 1 || !application.runsInline
        var flags: UInt32 = multithread ? UInt32(SSGI_FLAG_MULTITHREAD) : 0
        if asWorker { flags |= UInt32(SSGI_FLAG_MULTIPROCESS) }
        return flags
    }
}

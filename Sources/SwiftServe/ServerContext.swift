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
}

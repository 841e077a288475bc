import CSSGI
import Logging

/// What every connection shares: the application, the configuration and the logs.
final class ServerContext: Sendable {
    let application: LoadedApplication
    let configuration: ServerConfiguration
    /// `SSGI_FLAG_*` bits for every request.
    let requestFlags: UInt32
    let accessLog: AccessLog?
    let trace: HTTPTrace?
    let logger: Logger

    init(
        application: LoadedApplication, configuration: ServerConfiguration, requestFlags: UInt32,
        accessLog: AccessLog?, logger: Logger
    ) {
        self.application = application
        self.configuration = configuration
        self.requestFlags = requestFlags
        self.accessLog = accessLog
        self.trace = configuration.debugHTTP ? HTTPTrace() : nil
        self.logger = logger
    }

    /// The `ssgi.*` flags for `application` served with `configuration`: multithread when more
    /// than one I/O thread runs, or the application's code does not run on the I/O thread.
    static func requestFlags(application: LoadedApplication, configuration: ServerConfiguration) -> UInt32 {
        let multithread = configuration.threads > 1 || !application.runsInline
        return multithread ? UInt32(SSGI_FLAG_MULTITHREAD) : 0
    }
}

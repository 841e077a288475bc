import Dispatch
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for the signals that stop the server, as Gunicorn reads them: SIGINT and SIGTERM stop
/// gracefully, SIGQUIT at once.
final class StopSignal: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let graceful = NIOLockedValueBox(true)
    /// Set up in `init`, cancelled in `wait`; the handlers touch only `graceful` and `semaphore`.
    private let sources: [any DispatchSourceSignal]

    init(logger: Logger) {
        let queue = DispatchQueue(label: "swiftserve.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGQUIT] {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: queue))
        }
        self.sources = sources
        for (source, graceful) in zip(sources, [true, true, false]) {
            source.setEventHandler { [self] in
                logger.notice("received \(graceful ? "a graceful" : "an immediate") stop signal")
                self.graceful.withLockedValue { $0 = graceful }
                self.semaphore.signal()
            }
            source.resume()
        }
    }

    /// Blocks until a stop signal arrives.
    func wait() {
        self.semaphore.wait()
        self.sources.forEach { $0.cancel() }
    }

    /// Whether the signal asked for a graceful stop.
    var isGraceful: Bool { self.graceful.withLockedValue { $0 } }
}

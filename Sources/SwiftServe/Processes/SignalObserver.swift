import Dispatch
import Glibc

/// Hears signals with dispatch signal sources: the signals' default actions are turned off, and
/// the handler runs on a queue of its own, where it may do anything (unlike a C signal handler).
///
/// On Linux a dispatch source hears a signal through a `signalfd` and a handler of its own,
/// which dispatch installs only once the source is registered, on a thread of its own; until
/// then the signal would be ignored. `init` waits for every registration, so that a signal sent
/// once the server says it is ready is never lost. A signal another observer already watches is
/// left to dispatch's handler rather than set to be ignored again, which would discard it.
final class SignalObserver: Sendable {
    /// Created in `init` and only cancelled after.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    /// Starts observing `signals`; `handler` is called with the number of each that arrives.
    /// Returns once the system delivers them to it.
    init(_ signals: [CInt], label: String, handler: @escaping @Sendable (CInt) -> Void) {
        let queue = DispatchQueue(label: label)
        let registered = DispatchSemaphore(value: 0)
        self.sources = signals.map { number in
            if Self.hasDefaultAction(number) { signal(number, SIG_IGN) }
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            return source
        }
        for _ in signals { registered.wait() }
    }

    /// Stops observing; the signals stay ignored.
    func cancel() {
        self.sources.forEach { $0.cancel() }
    }

    /// Whether `number` still has the action it started with, so that nothing hears it yet.
    private static func hasDefaultAction(_ number: CInt) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return true }
        return current.__sigaction_handler.sa_handler == nil
    }
}

import Dispatch
import Glibc
import Logging
import NIOConcurrencyHelpers

/// Waits for the signals that stop the server, as Gunicorn reads them: SIGINT and SIGTERM stop
/// gracefully, SIGQUIT at once. A graceful stop can still be cut short by a later SIGQUIT, and the
/// server can stop itself (a worker whose master is gone).
final class StopSignal: Sendable {
    private struct State {
        /// Nil while running, then whether the stop asked for is graceful.
        var graceful: Bool?
        var whenImmediate: [@Sendable () -> Void] = []
    }

    private let semaphore = DispatchSemaphore(value: 0)
    private let state = NIOLockedValueBox(State())
    private let logger: Logger
    private let observer: NIOLockedValueBox<SignalObserver?> = NIOLockedValueBox(nil)

    init(logger: Logger) {
        self.logger = logger
        let observer = SignalObserver([SIGINT, SIGTERM, SIGQUIT], label: "swiftserve.signals") { [self] number in
            let graceful = number != SIGQUIT
            self.logger.notice(
                "received \(SignalName.of(number)): \(graceful ? "stopping gracefully" : "stopping at once")")
            self.stop(graceful: graceful)
        }
        self.observer.withLockedValue { $0 = observer }
    }

    /// Stops the server as the signal would; the first stop wins, except that an immediate stop
    /// cuts a graceful one short.
    func stop(graceful: Bool) {
        let (first, escalated): (Bool, [@Sendable () -> Void]) = self.state.withLockedValue { state in
            let first = state.graceful == nil
            guard first || (state.graceful == true && !graceful) else { return (false, []) }
            state.graceful = graceful
            guard !graceful else { return (first, []) }
            defer { state.whenImmediate = [] }
            return (first, state.whenImmediate)
        }
        if first { self.semaphore.signal() }
        escalated.forEach { $0() }
    }

    /// Blocks until the server is asked to stop.
    func wait() {
        self.semaphore.wait()
    }

    /// Whether the stop asked for is graceful.
    var isGraceful: Bool { self.state.withLockedValue { $0.graceful ?? true } }

    /// Runs `action` when the stop turns immediate, or now if it already has.
    func whenImmediate(_ action: @escaping @Sendable () -> Void) {
        let now: Bool = self.state.withLockedValue { state in
            guard state.graceful == false else {
                state.whenImmediate.append(action)
                return false
            }
            return true
        }
        if now { action() }
    }

    /// Stops listening for the signals, once the server has stopped.
    func cancel() {
        self.observer.withLockedValue { $0?.cancel() }
    }
}

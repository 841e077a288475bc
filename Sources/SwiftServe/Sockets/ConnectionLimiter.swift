import Dispatch
import NIOCore

/// Caps the connections a worker process holds open (`--worker-connections`) with back-pressure
/// at accept: an accepting thread takes a permit before it accepts and the connection gives it
/// back when it closes, so at the cap the threads stop accepting and new clients wait in the
/// kernel's listen backlog (for another worker to take, or until a connection here closes)
/// instead of being accepted and starved or reset. The cap is exact: a permit is held from
/// before `accept` to the connection's close.
final class ConnectionLimiter: Sendable {
    /// The cap.
    let maximum: Int
    private let permits: DispatchSemaphore

    init(maximum: Int) {
        self.maximum = maximum
        // Made empty and then filled: libdispatch traps when a semaphore is freed with a value
        // below the one it was made with, which connections still open at a stop would cause.
        self.permits = DispatchSemaphore(value: 0)
        for _ in 0..<maximum { self.permits.signal() }
    }

    /// Takes a permit for one more connection, waiting at most `timeout` for one; false when
    /// none came free meanwhile.
    func acquire(waitingAtMost timeout: TimeAmount) -> Bool {
        self.permits.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success
    }

    /// Gives a permit back: the connection it was taken for closed, or never came.
    func release() {
        self.permits.signal()
    }
}

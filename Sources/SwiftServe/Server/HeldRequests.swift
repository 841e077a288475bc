import Glibc
import NIOCore
import Synchronization

/// The requests the application holds: counted from `handle` until the server is done with the
/// request after its `finish` (its cleanup, if any, has run).
///
/// A stopping server closes the connections of the requests it abandons; each application learns
/// of it from its next operation or callback and still calls `finish` (SPEC §4, §11). The server
/// waits for those, for a bounded time, before it runs the application's `shutdown`, so that the
/// application sees `done(SSGI_E_DISCONNECTED)`, then `cleanup`, then `shutdown`, and the log says
/// "stopped" after all of it.
final class HeldRequests: Sendable {
    private let count = Atomic(0)

    func add() {
        self.count.add(1, ordering: .relaxed)
    }

    func remove() {
        self.count.subtract(1, ordering: .releasing)
    }

    /// How many are held now.
    var current: Int { self.count.load(ordering: .acquiring) }

    /// Waits until none is held or `timeout` has passed, looking every 10 ms (a stop is rare, and
    /// the count costs the requests nothing but an atomic add); returns how many are still held.
    func waitUntilReleased(timeout: TimeAmount) -> Int {
        let deadline = NIODeadline.now() + timeout
        while self.current > 0, NIODeadline.now() < deadline {
            usleep(10_000)
        }
        return self.current
    }
}

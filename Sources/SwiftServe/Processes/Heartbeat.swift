import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A worker's heartbeat: each event loop stamps its own slot every `interval`, and a beat goes to
/// the master only while every slot is fresh. An application that blocks an event loop stops the
/// beats, and the master kills and replaces the worker after `--timeout` (Gunicorn's worker
/// timeout, uWSGI's harakiri).
final class Heartbeat: Sendable {
    private let link: MasterLink
    private let interval: TimeAmount
    private let stamps: NIOLockedValueBox<[NIODeadline]>
    private let tasks = NIOLockedValueBox<[RepeatedTask]>([])
    private let masterGone = NIOLockedValueBox(false)

    /// The interval for a master that kills after `timeout`: a quarter of it, and at most a
    /// second, so that a worker whose master died notices soon.
    static func interval(forTimeout timeout: TimeAmount?) -> TimeAmount {
        guard let timeout, timeout > .zero else { return .seconds(1) }
        return min(.seconds(1), .nanoseconds(timeout.nanoseconds / 4))
    }

    init(link: MasterLink, interval: TimeAmount) {
        self.link = link
        self.interval = interval
        self.stamps = NIOLockedValueBox([])
    }

    /// Starts beating from every loop of `group`; `whenMasterGone` runs once if the master is.
    func start(on group: MultiThreadedEventLoopGroup, whenMasterGone: @escaping @Sendable () -> Void) {
        let loops = Array(group.makeIterator())
        self.stamps.withLockedValue { $0 = Array(repeating: .now(), count: loops.count) }
        let tasks = loops.enumerated().map { index, loop in
            loop.scheduleRepeatedTask(initialDelay: TimeAmount.zero, delay: self.interval) { _ in
                self.beat(from: index, whenMasterGone: whenMasterGone)
            }
        }
        self.tasks.withLockedValue { $0 = tasks }
    }

    /// Stops beating.
    func cancel() {
        self.tasks.withLockedValue { tasks in
            tasks.forEach { $0.cancel() }
            tasks = []
        }
    }

    private func beat(from index: Int, whenMasterGone: @Sendable () -> Void) {
        let now = NIODeadline.now()
        let oldest = self.stamps.withLockedValue { stamps in
            stamps[index] = now
            return stamps.min() ?? now
        }
        guard now - oldest <= self.interval * 2 else { return }
        guard !self.link.send(.heartbeat) else { return }
        let first = self.masterGone.withLockedValue { gone in
            defer { gone = true }
            return !gone
        }
        if first { whenMasterGone() }
    }
}

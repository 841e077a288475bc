import NIOCore

/// How long the master waits before starting a worker after others died young, so that a crash
/// loop (an application that traps while starting, or on every request) does not spin the CPU.
///
/// A worker dies young when it dies within `youth` of being started. The first such death is
/// answered at once; each further one in a row doubles the wait, from `firstDelay` up to
/// `longestDelay`. A worker that lived longer, or `memory` without a young death, starts the
/// count again.
struct CrashBackoff {
    static let youth: TimeAmount = .seconds(10)
    static let firstDelay: TimeAmount = .milliseconds(100)
    static let longestDelay: TimeAmount = .seconds(10)
    static let memory: TimeAmount = .seconds(60)

    /// Young deaths in a row.
    private(set) var strikes = 0
    private var lastStrike: NIODeadline?
    /// No worker is started before this.
    private(set) var nextStart = NIODeadline.uptimeNanoseconds(0)

    /// Notes that a worker started at `started` died at `now`; returns how long the next start waits.
    @discardableResult
    mutating func workerDied(started: NIODeadline, now: NIODeadline) -> TimeAmount {
        if let lastStrike = self.lastStrike, now - lastStrike > Self.memory {
            self.strikes = 0
        }
        guard now - started < Self.youth else {
            self.strikes = 0
            return .zero
        }
        self.strikes += 1
        self.lastStrike = now
        let delay = Self.delay(afterStrikes: self.strikes)
        self.nextStart = now + delay
        return delay
    }

    /// The wait after `strikes` young deaths in a row.
    static func delay(afterStrikes strikes: Int) -> TimeAmount {
        guard strikes > 1 else { return .zero }
        let doublings = min(strikes - 2, 20)
        return min(Self.longestDelay, Self.firstDelay * (1 << doublings))
    }
}

import NIOCore
import Testing

@testable import SwiftServe

/// Workers that die young are replaced ever more slowly.
@Suite("CrashBackoff")
struct CrashBackoffTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    @Test("the first young death is answered at once, then the wait doubles up to ten seconds")
    func doubling() {
        #expect(CrashBackoff.delay(afterStrikes: 1) == .zero)
        #expect(CrashBackoff.delay(afterStrikes: 2) == .milliseconds(100))
        #expect(CrashBackoff.delay(afterStrikes: 3) == .milliseconds(200))
        #expect(CrashBackoff.delay(afterStrikes: 4) == .milliseconds(400))
        #expect(CrashBackoff.delay(afterStrikes: 9) == .seconds(10))
        #expect(CrashBackoff.delay(afterStrikes: 500) == .seconds(10))
    }

    @Test("young deaths in a row add up; the next start waits")
    func strikes() {
        var backoff = CrashBackoff()
        var now = self.start
        var delays: [TimeAmount] = []
        for _ in 0..<3 {
            delays.append(backoff.workerDied(started: now, now: now + .seconds(1)))
            now = now + .seconds(2)
        }
        #expect(delays == [.zero, .milliseconds(100), .milliseconds(200)])
        #expect(backoff.strikes == 3)
        #expect(backoff.nextStart == self.start + .seconds(5) + .milliseconds(200))
    }

    @Test("a worker that lived past its youth starts the count again")
    func oldDeathResets() {
        var backoff = CrashBackoff()
        backoff.workerDied(started: self.start, now: self.start + .seconds(1))
        backoff.workerDied(started: self.start, now: self.start + .seconds(2))
        #expect(backoff.strikes == 2)
        let delay = backoff.workerDied(started: self.start, now: self.start + .seconds(30))
        #expect(delay == .zero)
        #expect(backoff.strikes == 0)
    }

    @Test("a minute without a young death forgets the earlier ones")
    func forgets() {
        var backoff = CrashBackoff()
        backoff.workerDied(started: self.start, now: self.start + .seconds(1))
        backoff.workerDied(started: self.start, now: self.start + .seconds(2))
        let later = self.start + .seconds(120)
        let delay = backoff.workerDied(started: later, now: later + .seconds(1))
        #expect(delay == .zero)
        #expect(backoff.strikes == 1)
    }
}

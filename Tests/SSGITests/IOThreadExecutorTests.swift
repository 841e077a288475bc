import Foundation
import Synchronization
import Testing

@testable import SSGI

/// Where a task that prefers `IOThreadExecutor` runs after it was resumed: on the thread of the
/// callback that resumed it, or on the global executor.
@Suite("IOThreadExecutor")
struct IOThreadExecutorTests {
    /// A task that waits to be resumed, then records the thread it continues on (and, with
    /// `yields`, the thread after a `Task.yield()`).
    private final class Probe: Sendable {
        private let continuation = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let threads = Mutex<[pthread_t]>([])
        private let task = Mutex<Task<Void, Never>?>(nil)

        /// Starts the task and returns once it waits.
        static func waiting(yields: Bool) async -> Probe {
            let probe = Probe()
            let task = Task(executorPreference: IOThreadExecutor.shared) {
                await withCheckedContinuation { continuation in
                    probe.continuation.withLock { $0 = continuation }
                }
                probe.threads.withLock { $0.append(pthread_self()) }
                if yields {
                    await Task.yield()
                    probe.threads.withLock { $0.append(pthread_self()) }
                }
            }
            probe.task.withLock { $0 = task }
            while probe.continuation.withLock({ $0 == nil }) { await Task.yield() }
            return probe
        }

        func resume() {
            self.continuation.withLock { $0 }!.resume()
        }

        /// The threads, once the task has ended.
        func finishedThreads() async -> [pthread_t] {
            await self.task.withLock { $0 }!.value
            return self.threads.withLock { $0 }
        }
    }

    /// Runs `body` on a thread of its own, as the server runs callbacks on its I/O threads, and
    /// returns that thread's id. The thread stays until `probe` has recorded `count` threads (at
    /// most five seconds), so that no thread made meanwhile can get its id.
    private func onOwnThread(
        until probe: Probe, has count: Int, _ body: @escaping @Sendable () -> Void
    ) async -> pthread_t {
        await withCheckedContinuation { continuation in
            Thread {
                body()
                let deadline = Date().addingTimeInterval(5)
                while probe.threads.withLock({ $0.count }) < count, Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.001)
                }
                continuation.resume(returning: pthread_self())
            }.start()
        }
    }

    @Test("a task resumed inside a callback runs on the callback's thread before the callback returns")
    func resumedInCallback() async {
        let probe = await Probe.waiting(yields: false)
        let ranInside = Mutex(false)
        let thread = await self.onOwnThread(until: probe, has: 1) {
            IOThreadExecutor.runningCallback { probe.resume() }
            ranInside.withLock { $0 = probe.threads.withLock { $0.count } == 1 }
        }
        #expect(await probe.finishedThreads() == [thread])
        #expect(ranInside.withLock { $0 })
    }

    @Test("a task resumed outside a callback goes to the global executor")
    func resumedOutsideCallback() async {
        let probe = await Probe.waiting(yields: false)
        let thread = await self.onOwnThread(until: probe, has: 1) { probe.resume() }
        let threads = await probe.finishedThreads()
        #expect(threads.count == 1)
        #expect(threads != [thread])
    }

    @Test("a task that yields after a callback resumed it leaves the callback's thread")
    func yieldLeaves() async {
        let probe = await Probe.waiting(yields: true)
        let thread = await self.onOwnThread(until: probe, has: 2) {
            IOThreadExecutor.runningCallback { probe.resume() }
        }
        let threads = await probe.finishedThreads()
        #expect(threads.count == 2)
        #expect(threads.first == thread)
        #expect(threads.last != thread)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import NIOConcurrencyHelpers
import NIOCore

/// An event loop with no thread of its own: the thread that hands it work while it is idle runs
/// that work, and whatever work arrives meanwhile, then leaves. One serves one request.
///
/// The adapter answers a request on one so that Vapor's responder runs on the thread that called
/// the application, the server's I/O thread, instead of crossing to one of Vapor's event loops and
/// back: a route answered by futures that are already complete (a synchronous route, synchronous
/// middleware) costs no thread hop at all. Work still runs one task at a time, in the order it
/// arrived, and `inEventLoop` is true exactly while the calling thread runs it, as an event loop
/// promises. It keeps no time: `scheduleTask` waits on `timekeeper` (one of the application's
/// loops) and then runs the task here.
final class CallingThreadEventLoop: EventLoop, @unchecked Sendable {
    private let timekeeper: any EventLoop
    private let lock = NIOLock()
    /// Guarded by `lock`: the work not yet run, and the thread running it (nil while idle).
    private var work = CircularBuffer<@Sendable () -> Void>(initialCapacity: 4)
    private var runner: pthread_t?

    /// A loop whose scheduled tasks wait on `timekeeper`.
    init(timekeeper: any EventLoop) {
        self.timekeeper = timekeeper
    }

    var inEventLoop: Bool {
        let current = pthread_self()
        return self.lock.withLock { self.runner.map { pthread_equal($0, current) != 0 } ?? false }
    }

    /// Runs `body` now, on this thread, as the loop's work: `inEventLoop` is true inside it, and
    /// work it hands the loop runs after it returns, before this returns. The loop must be idle.
    func run<Result>(_ body: () throws -> Result) rethrows -> Result {
        self.lock.withLock {
            precondition(self.runner == nil, "CallingThreadEventLoop.run while the loop is running")
            self.runner = pthread_self()
        }
        defer { self.runQueuedWork() }
        return try body()
    }

    func execute(_ task: @escaping @Sendable () -> Void) {
        let current = pthread_self()
        let runsNow = self.lock.withLock { () -> Bool in
            self.work.append(task)
            guard self.runner == nil else { return false }
            self.runner = current
            return true
        }
        if runsNow { self.runQueuedWork() }
    }

    /// Runs the work queued until there is none, then marks the loop idle.
    private func runQueuedWork() {
        while let task = self.nextTask() { task() }
    }

    private func nextTask() -> (@Sendable () -> Void)? {
        self.lock.withLock {
            if let task = self.work.popFirst() { return task }
            self.runner = nil
            return nil
        }
    }

    @discardableResult
    func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        let promise = self.makePromise(of: T.self)
        let timer = self.timekeeper.scheduleTask(deadline: deadline) {
            self.execute { promise.assumeIsolated().completeWith(Result { try task() }) }
        }
        return Scheduled(promise: promise) {
            timer.cancel()
            promise.fail(EventLoopError.cancelled)
        }
    }

    @discardableResult
    func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        self.scheduleTask(deadline: .now() + delay, task)
    }

    func preconditionInEventLoop(file: StaticString, line: UInt) {
        precondition(self.inEventLoop, "not in the request's event loop", file: file, line: line)
    }

    func preconditionNotInEventLoop(file: StaticString, line: UInt) {
        precondition(!self.inEventLoop, "in the request's event loop", file: file, line: line)
    }

    /// Nothing to shut down: the loop owns no thread and no resource.
    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        queue.async { callback(nil) }
    }
}

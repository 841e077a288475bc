#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The executor an asynchronous application's task prefers: it keeps the task on the server's
/// I/O thread when the server's own callback resumes it, so that a task that awaits a read or a
/// write carries on where the bytes are, instead of hopping to Swift's global executor and back
/// (`write` from another thread is one more hop, to the connection's event loop).
///
/// A job enqueued while the thread runs the body of one of the SDK's completion callbacks
/// (`runningCallback`), called by the server outside any task, waits in the thread's queue and
/// runs on that thread as soon as the outermost callback's body returns, still inside the
/// server's call of the callback. The specification allows operations there, and asks only that
/// nothing block, which is the rule for code on Swift concurrency anyway. Any other job goes to
/// the global concurrent executor: one enqueued from another thread, one enqueued by a task's
/// own code (a `Task.yield()`, a child task), and everything when the task was not resumed by
/// the server. So a task never holds the I/O thread for longer than it runs between two awaits.
final class IOThreadExecutor: TaskExecutor {
    /// The one executor: its state is per thread, so one serves every I/O thread.
    static let shared = IOThreadExecutor()

    private init() {}

    func enqueue(_ job: consuming ExecutorJob) {
        let queue = CallbackQueue.current
        if queue.acceptsJobs {
            queue.jobs.append(UnownedJob(job))
        } else {
            globalConcurrentExecutor.enqueue(job)
        }
    }

    /// Runs `body`, a completion callback's work, then the jobs it enqueued on this executor.
    static func runningCallback(_ body: () -> Void) {
        let queue = CallbackQueue.current
        let inTask = withUnsafeCurrentTask { $0 != nil }
        guard !queue.acceptsJobs, !inTask else {
            // Nested in another callback, or called inside a task's code (inside an operation it
            // called, or in a job run below): the outer call runs or routes what comes.
            body()
            return
        }
        queue.acceptsJobs = true
        body()
        queue.acceptsJobs = false
        guard !queue.jobs.isEmpty else { return }
        let executor = Self.shared.asUnownedTaskExecutor()
        var index = 0
        while index < queue.jobs.count {
            queue.jobs[index].runSynchronously(on: executor)
            index += 1
        }
        queue.jobs.removeAll(keepingCapacity: true)
    }
}

/// One thread's jobs waiting for the callback that resumed them to return, and whether the thread
/// is in such a callback.
private final class CallbackQueue {
    var acceptsJobs = false
    var jobs: [UnownedJob] = []

    /// This thread's queue, made on first use and released when the thread exits.
    static var current: CallbackQueue {
        if let stored = pthread_getspecific(callbackQueueKey) {
            return Unmanaged<CallbackQueue>.fromOpaque(stored).takeUnretainedValue()
        }
        let queue = CallbackQueue()
        pthread_setspecific(callbackQueueKey, Unmanaged.passRetained(queue).toOpaque())
        return queue
    }
}

private let callbackQueueKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { stored in
        #if canImport(Darwin)
            Unmanaged<CallbackQueue>.fromOpaque(stored).release()
        #else
            if let stored { Unmanaged<CallbackQueue>.fromOpaque(stored).release() }
        #endif
    }
    precondition(status == 0, "SSGI: no thread-local storage key is left (pthread_key_create: \(status))")
    return key
}()

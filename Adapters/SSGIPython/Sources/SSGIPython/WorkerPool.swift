#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The requests waiting for a Python thread, and the threads waiting for requests.
///
/// Only one thread runs Python at a time (the GIL), so waking a second thread while one is busy
/// buys nothing but a contended GIL and two context switches per request. The pool therefore
/// keeps one thread serving request after request while it makes progress: the server's
/// `submit` wakes a waiting thread only when no thread is serving. Yet a serving thread may be
/// stuck in Python (a sleep, a database, a slow upload): one waiting thread, the sentinel,
/// watches the queue while it is not empty, and takes the oldest request as soon as no request
/// was taken for `stall`. So a request that waits delays the others by at most that much.
///
/// The server's I/O threads only append, never waiting on Python: the lock is never held across
/// Python code.
final class WorkerPool: @unchecked Sendable {
    private let lock = ConditionLock()
    /// A ring of jobs: `count` of them from `head`.
    private var ring = [Job?](repeating: nil, count: 256)
    private var head = 0
    private var count = 0
    /// Threads in `wait()`.
    private var waiting = 0
    /// Threads serving a request (running it, or blocked in it).
    private var serving = 0
    /// A waiting thread watches the queue for a stall.
    private var sentinel = false
    /// A waiting thread was signalled and has not yet taken a job or become the sentinel: another
    /// signal would only wake a second thread for the same work.
    private var woken = false
    /// When a job was last taken (CLOCK_MONOTONIC, nanoseconds).
    private var lastTaken = 0
    private var stopping = false
    /// Threads started and not yet ended.
    private var threads = 0

    /// How long the queue may wait without a job being taken before another thread steps in.
    static let stall = 1_000_000

    /// Queues `job`; wakes a waiting thread when none serves, or to watch the queue. Called on
    /// the server's I/O threads.
    func submit(_ job: Job) {
        self.lock.lock()
        if self.count == self.ring.count { self.grow() }
        self.ring[(self.head + self.count) % self.ring.count] = job
        self.count += 1
        let wake = self.waiting > 0 && !self.woken && (self.serving == 0 || !self.sentinel)
        if wake { self.woken = true }
        self.lock.unlock()
        if wake { self.lock.signal() }
    }

    /// For a thread that finished a request and holds the GIL: the next job at once, or nil,
    /// and then the thread no longer counts as serving.
    func next() -> Job? {
        self.lock.withLock {
            guard self.count > 0 else {
                self.serving -= 1
                return nil
            }
            return self.pop()
        }
    }

    /// Waits for a job (call it with the GIL released); the thread then counts as serving. Nil
    /// once the pool stopped and the queue is empty.
    func wait() -> Job? {
        self.lock.withLock {
            self.waiting += 1
            defer { self.waiting -= 1 }
            var watching = false
            while true {
                self.woken = false
                if self.count > 0, self.serving == 0 || Self.now() - self.lastTaken >= Self.stall {
                    if watching { self.sentinel = false }
                    self.serving += 1
                    // Someone must watch what is left.
                    if self.count > 1, self.waiting > 1, !self.sentinel, !self.woken {
                        self.woken = true
                        self.lock.signal()
                    }
                    return self.pop()
                }
                if self.count == 0, self.stopping { return nil }
                if self.count > 0, watching || !self.sentinel {
                    self.sentinel = true
                    watching = true
                    self.lock.wait(nanoseconds: Self.stall)
                } else {
                    if watching {
                        self.sentinel = false
                        watching = false
                    }
                    self.lock.wait()
                }
            }
        }
    }

    /// A thread starts serving from the pool.
    func threadStarted() {
        self.lock.withLock { self.threads += 1 }
    }

    /// A thread returned from its last `wait()`.
    func threadEnded() {
        self.lock.withLock { self.threads -= 1 }
        self.lock.broadcast()
    }

    /// Lets every thread finish the jobs queued and return, waiting at most `seconds` for them:
    /// a thread still inside the application (a request the server abandoned) is left to end
    /// with the process.
    func stop(waitingAtMost seconds: Int) {
        let deadline = Self.now() + seconds * 1_000_000_000
        self.lock.withLock {
            self.stopping = true
            self.lock.broadcast()
            while self.threads > 0, Self.now() < deadline {
                self.lock.wait(nanoseconds: 10_000_000)
            }
        }
    }

    private func pop() -> Job? {
        guard self.count > 0 else { return nil }
        let job = self.ring[self.head]
        self.ring[self.head] = nil
        self.head = (self.head + 1) % self.ring.count
        self.count -= 1
        self.lastTaken = Self.now()
        return job
    }

    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int(time.tv_sec) * 1_000_000_000 + Int(time.tv_nsec)
    }

    private func grow() {
        var larger = [Job?](repeating: nil, count: self.ring.count * 2)
        for index in 0..<self.count {
            larger[index] = self.ring[(self.head + index) % self.ring.count]
        }
        self.ring = larger
        self.head = 0
    }
}

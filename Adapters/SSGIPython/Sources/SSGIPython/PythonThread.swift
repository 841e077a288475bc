import CPythonBridge

/// One thread of the pool that runs Python: it serves requests from the pool for as long as the
/// server runs, holding the GIL while it works and releasing it to wait.
final class PythonThread: @unchecked Sendable {
    private let pool: WorkerPool
    private let interpreter: OpaquePointer
    private let makeHandler: () throws(WSGIError) -> RequestHandler

    init(pool: WorkerPool, interpreter: OpaquePointer, makeHandler: @escaping () throws(WSGIError) -> RequestHandler) {
        self.pool = pool
        self.interpreter = interpreter
        self.makeHandler = makeHandler
    }

    /// Starts the thread.
    func start() throws(WSGIError) {
        self.pool.threadStarted()
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<PythonThread>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        guard status == 0 else {
            self.pool.threadEnded()
            Unmanaged<PythonThread>.fromOpaque(context).release()
            throw .python("cannot start a Python thread: \(String(cString: strerror(status)))")
        }
        pthread_detach(thread)
    }

    private func run() {
        // SCHED_BATCH: woken by the server's I/O thread queueing a request, this thread does not
        // preempt it on the spot (on a shared core it would then serve one request per wake);
        // it runs once the I/O thread has queued what it read, and serves those in one go.
        _ = ssgipy_schedule_as_batch()
        let state = PyThreadState_New(self.interpreter)
        PyEval_RestoreThread(state)
        let handler: RequestHandler
        do {
            handler = try self.makeHandler()
        } catch {
            PythonInterpreter.logTraceback?("a Python thread could not start: \(error)")
            PyThreadState_Clear(state)
            PyThreadState_DeleteCurrent()
            self.pool.threadEnded()
            return
        }
        // The GIL is released only to wait for work: requests that follow one another are
        // served without it changing hands.
        var job = Python.withoutGIL { self.pool.wait() }
        while let current = job {
            handler.serve(current)
            job = self.pool.next() ?? Python.withoutGIL { self.pool.wait() }
        }
        PyThreadState_Clear(state)
        PyThreadState_DeleteCurrent()
        self.pool.threadEnded()
    }
}

import CPythonBridge
import CSSGI
import SSGI

/// The bridge between swiftserve and a Python WSGI application: at startup it starts Python,
/// imports the application its arguments name and starts the pool of Python threads; `handle`
/// then queues each request for that pool, and never runs Python on the server's I/O thread.
final class WSGIBridge: @unchecked Sendable {
    private let pool = WorkerPool()
    /// The thread state of the thread that started Python, given back at shutdown.
    private var mainState: UnsafeMutablePointer<PyThreadState>?

    /// The bridge, once started; startup happens before the server's first `handle`.
    nonisolated(unsafe) static var current: WSGIBridge?

    /// Starts Python and the application as `info` (its arguments) says.
    static func start(_ info: ServerInfo) throws(WSGIError) -> WSGIBridge {
        let options = try WSGIOptions(parsing: info.arguments.dropFirst())
        try PythonInterpreter.start(arguments: info.arguments, options: options)
        let bridge = WSGIBridge()
        do {
            try bridge.startThreads(options: options, info: info)
        } catch {
            bridge.mainState = PyEval_SaveThread()
            throw error
        }
        return bridge
    }

    private func startThreads(options: WSGIOptions, info: ServerInfo) throws(WSGIError) {
        guard
            let formatter = PyImport_ImportModule("traceback").flatMap({
                PyObject_GetAttrString($0, "format_exception")
            })
        else { throw PythonInterpreter.raised() }
        PythonException.formatter = formatter
        let module = try BridgeModule.make()
        let types = try BridgeTypes(module: module)
        let application = try PythonInterpreter.application(options)
        let shared = try EnvironBuilder.Shared(
            serverSoftware: info.serverSoftware, multiprocess: info.multiprocess, fileWrapper: types.fileWrapper.type)
        let interpreter = PyThreadState_GetInterpreter(PyThreadState_Get())!
        let ops = WSGIBridge.ops!
        for _ in 0..<options.threads {
            let thread = PythonThread(pool: self.pool, interpreter: interpreter) { () throws(WSGIError) in
                try RequestHandler(application: application, types: types, shared: shared, ops: ops)
            }
            try thread.start()
        }
        // The threads take the GIL in turn from here on.
        self.mainState = PyEval_SaveThread()
    }

    /// The server's operations, from its startup information.
    nonisolated(unsafe) static var ops: UnsafePointer<ssgi_server_ops>?

    /// Queues a request for the Python threads. Called on a server I/O thread: never blocks.
    func handle(_ job: Job) {
        self.pool.submit(job)
    }

    /// Lets the threads finish the requests queued, then runs the application's `atexit`
    /// functions, as a Python process that ends does.
    func stop() {
        self.pool.stop(waitingAtMost: 2)
        let gil = PyGILState_Ensure()
        if let atexit = PyImport_ImportModule("atexit") {
            if let result = PyObject_CallMethodNoArgs(atexit, Python.interned("_run_exitfuncs")) {
                ssgipy_decref(result)
            }
            ssgipy_decref(atexit)
        }
        PyErr_Clear()
        PyGILState_Release(gil)
    }
}

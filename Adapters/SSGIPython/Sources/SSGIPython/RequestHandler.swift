import CPythonBridge
import CSSGI

/// Serves requests on one Python thread, as a WSGI server does (PEP 3333): builds the environ,
/// calls the application with it and `start_response`, sends what it returns, calls its
/// `close()` whatever happened, and finishes the request with the server.
///
/// A Python exception gives a 500 and its traceback in the server's log (or a cut connection,
/// once the head went out), and the thread goes on with the next request.
final class RequestHandler {
    private let application: PythonObject
    private let types: BridgeTypes
    private let state: RequestState
    private let errors: ErrorStream
    private let environ: EnvironBuilder

    init(
        application: PythonObject, types: BridgeTypes, shared: EnvironBuilder.Shared,
        ops: UnsafePointer<ssgi_server_ops>
    )
        throws(WSGIError)
    {
        self.application = application
        self.types = types
        self.state = RequestState(ops: ops)
        self.errors = ErrorStream(state: self.state)
        // The thread's wsgi.errors lives as long as the thread; it keeps the stream alive.
        guard let errorsObject = types.errors.make(Unmanaged.passRetained(self.errors).toOpaque()) else {
            throw .python("cannot make wsgi.errors: \(PythonException.fetch()?.message ?? "unknown error")")
        }
        self.environ = try EnvironBuilder(shared: shared, errors: errorsObject)
        ssgipy_decref(errorsObject)
    }

    /// What became of the body.
    private enum Outcome {
        case sent
        case disconnected
        /// An exception is raised.
        case failed
    }

    /// Serves `job` to its end. Requires the GIL.
    func serve(_ job: Job) {
        self.state.begin(job)
        let payload = Unmanaged.passUnretained(self.state).toOpaque()
        let input = self.types.input.make(payload)
        let responder = self.types.responder.make(payload)
        var result: PythonObject?
        if let input, let responder, let environ = self.environ.environ(for: job.request.pointee, input: input) {
            if let startResponse = Responder.startResponse(responder) {
                result = withUnsafeTemporaryAllocation(of: PythonObject?.self, capacity: 2) { arguments in
                    arguments[0] = environ
                    arguments[1] = startResponse
                    return PyObject_Vectorcall(self.application, arguments.baseAddress, 2, nil)
                }
                ssgipy_decref(startResponse)
            }
            ssgipy_decref(environ)
        }
        var outcome = result.map(self.send) ?? .failed
        if let result {
            if !self.close(result), outcome != .failed { outcome = .failed }
            ssgipy_decref(result)
        }
        if outcome == .sent, !self.state.committed, !self.state.commit() { outcome = .failed }
        if outcome == .failed { self.report() }
        self.errors.flush()
        self.state.finish(failed: outcome == .failed)
        // The application may keep them: from now on they refuse to act.
        if let input {
            ssgipy_set_payload(input, nil)
            ssgipy_decref(input)
        }
        if let responder {
            ssgipy_set_payload(responder, nil)
            ssgipy_decref(responder)
        }
        self.state.end()
    }

    // MARK: Sending the body

    private func send(_ result: PythonObject) -> Outcome {
        if ssgipy_is_exact_list(result) != 0 || ssgipy_is_exact_tuple(result) != 0 {
            return self.sendSequence(result)
        }
        if self.types.fileWrapper.matches(result), let outcome = self.types.fileWrapper.send(result, self.state) {
            return outcome ? .sent : (PyErr_Occurred() == nil ? .disconnected : .failed)
        }
        return self.sendIterable(result)
    }

    /// A list or tuple of bytes: every item is checked before any is sent, so that a wrong one
    /// gives a clean 500, then each is handed to the server as it is, without a copy into Python.
    private func sendSequence(_ sequence: PythonObject) -> Outcome {
        let isList = ssgipy_is_exact_list(sequence) != 0
        let count = isList ? ssgipy_list_size(sequence) : ssgipy_tuple_size(sequence)
        let item = { (index: Int) in isList ? ssgipy_list_item(sequence, index)! : ssgipy_tuple_item(sequence, index)! }
        for index in 0..<count where ssgipy_is_bytes(item(index)) == 0 {
            return self.notBytes(item(index))
        }
        for index in 0..<count {
            let chunk = item(index)
            switch self.state.write(Self.buffer(chunk), streaming: false) {
            case .written: continue
            case .disconnected: return .disconnected
            case .failed: return .failed
            }
        }
        return .sent
    }

    /// Any other iterable, such as a generator: each chunk is sent as it comes, waiting for the
    /// server when the client reads slower than the application produces.
    private func sendIterable(_ iterable: PythonObject) -> Outcome {
        guard let iterator = PyObject_GetIter(iterable) else { return .failed }
        defer { ssgipy_decref(iterator) }
        while let chunk = PyIter_Next(iterator) {
            defer { ssgipy_decref(chunk) }
            guard ssgipy_is_bytes(chunk) != 0 else { return self.notBytes(chunk) }
            switch self.state.write(Self.buffer(chunk), streaming: true) {
            case .written: continue
            case .disconnected: return .disconnected
            case .failed: return .failed
            }
        }
        return PyErr_Occurred() == nil ? .sent : .failed
    }

    private func notBytes(_ chunk: PythonObject) -> Outcome {
        let type = String(cString: chunk.pointee.ob_type.pointee.tp_name)
        _ = Python.raise(ssgipy_type_error(), "the application's body must be bytes, not \(type) (PEP 3333)")
        return .failed
    }

    private static func buffer(_ bytes: PythonObject) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: ssgipy_bytes_data(bytes), count: ssgipy_bytes_size(bytes))
    }

    /// Calls `result.close()` when it has one (PEP 3333: on every path, the client going away
    /// included); false with an exception raised when it fails. An exception already raised
    /// stays the one reported; a failing close() after it is logged on its own.
    private func close(_ result: PythonObject) -> Bool {
        guard ssgipy_is_exact_list(result) == 0, ssgipy_is_exact_tuple(result) == 0 else { return true }
        var type: PythonObject?
        var value: PythonObject?
        var traceback: PythonObject?
        PyErr_Fetch(&type, &value, &traceback)
        let closed = self.callClose(result)
        if type != nil {
            if !closed { self.report() }
            PyErr_Restore(type, value, traceback)
        }
        return closed
    }

    private func callClose(_ result: PythonObject) -> Bool {
        guard let close = PyObject_GetAttr(result, self.types.closeName) else {
            guard PyErr_ExceptionMatches(ssgipy_attribute_error()) != 0 else { return false }
            PyErr_Clear()
            return true
        }
        defer { ssgipy_decref(close) }
        guard let returned = PyObject_CallNoArgs(close) else { return false }
        ssgipy_decref(returned)
        return true
    }

    // MARK: Failures

    /// Logs the exception raised, with its traceback and the request it broke; a client that
    /// went away needs no traceback.
    private func report() {
        guard let exception = PythonException.fetch() else { return }
        let request = self.state.request.pointee
        let target = "\(Self.text(request.request_method)) \(Self.text(request.request_uri))"
        if exception.isClientDisconnect {
            self.state.log("Client gone during \(target): \(exception.message)")
        } else {
            self.state.log("Error handling request \(target):\n\(exception.traceback)")
        }
    }

    private static func text(_ bytes: ssgi_bytes) -> String {
        let buffer = UnsafeBufferPointer(start: bytes.data, count: bytes.data == nil ? 0 : bytes.length)
        return String(String.UnicodeScalarView(buffer.map { Unicode.Scalar($0) }))
    }
}

import CPythonBridge
import CSSGI

/// The request a Python thread serves, and the response it builds: what `start_response`,
/// `write()` and `wsgi.input` act on. Each thread has one, reused from request to request, and
/// the Python objects given to the application point to it only while the request runs.
///
/// The head is held until the first non-empty chunk of the body, or the end of the response, as
/// PEP 3333 asks: until then `start_response` may still replace it with `exc_info`, and a failure
/// becomes a clean 500.
final class RequestState {
    /// The request's call handle; nil between requests.
    private(set) var call: OpaquePointer?
    private(set) var ops: UnsafePointer<ssgi_server_ops>!
    private(set) var request: UnsafePointer<ssgi_request>!
    /// `start_response`'s status and headers, held (one reference each) until committed.
    private var status: PythonObject?
    private var headers: PythonObject?
    /// The head went to the server: `start_response` can no longer replace it.
    private(set) var committed = false
    /// Shared with the server's callbacks once the request reads or streams.
    private var exchange: Exchange?
    /// The last request's exchange, kept for the next one.
    private var spareExchange: Exchange?
    /// Body writes so far: a body's first chunk goes without back-pressure, as most bodies are one.
    private var writes = 0
    /// What is left of the body (`wsgi.input`).
    let input = InputBuffer()

    init(ops: UnsafePointer<ssgi_server_ops>) {
        self.ops = ops
    }

    /// Starts serving `job`.
    func begin(_ job: Job) {
        self.call = job.call
        self.ops = job.ops
        self.request = job.request
        self.committed = false
        self.writes = 0
        self.input.begin(bodyLength: job.request.pointee.body_length)
    }

    /// Forgets the request, once finished.
    func end() {
        ssgipy_xdecref(self.status)
        ssgipy_xdecref(self.headers)
        self.status = nil
        self.headers = nil
        if let exchange = self.exchange, exchange.reset() { self.spareExchange = exchange }
        self.exchange = nil
        self.input.end()
        self.call = nil
        self.request = nil
    }

    /// Whether the request is still being served (its objects may act on it).
    var isActive: Bool { self.call != nil }

    private var sharedExchange: Exchange {
        if let exchange { return exchange }
        let exchange = self.spareExchange ?? Exchange()
        self.spareExchange = nil
        self.exchange = exchange
        return exchange
    }

    // MARK: start_response

    /// `start_response(status, headers, exc_info)` as PEP 3333 defines it; false with an
    /// exception raised (or `exc_info` re-raised) when the call is refused.
    func startResponse(status: PythonObject, headers: PythonObject, excInfo: PythonObject?) -> Bool {
        if let excInfo, excInfo != ssgipy_none() {
            if self.committed { return Self.reraise(excInfo) }
        } else if self.status != nil {
            _ = Python.raise(
                ssgipy_assertion_error(),
                "start_response was already called: call it again only with exc_info, before the body starts (PEP 3333)"
            )
            return false
        }
        guard ResponseHeadRules.status(status) != nil, ResponseHeadRules.check(headers: headers) else { return false }
        ssgipy_incref(status)
        ssgipy_incref(headers)
        ssgipy_xdecref(self.status)
        ssgipy_xdecref(self.headers)
        self.status = status
        self.headers = headers
        return true
    }

    /// Raises the exception `exc_info` carries: the head is out, so the response cannot change.
    private static func reraise(_ excInfo: PythonObject) -> Bool {
        guard ssgipy_is_tuple(excInfo) != 0, ssgipy_tuple_size(excInfo) == 3 else {
            _ = Python.raise(ssgipy_type_error(), "start_response: exc_info must be the tuple sys.exc_info() returns")
            return false
        }
        let parts = (0..<3).map { ssgipy_newref(ssgipy_tuple_item(excInfo, $0)) }
        PyErr_Restore(parts[0], parts[1], parts[2] == ssgipy_none() ? nil : parts[2])
        if parts[2] == ssgipy_none() { ssgipy_decref(parts[2]!) }
        return false
    }

    // MARK: The head

    /// Hands the head to the server, at the first non-empty chunk or the end; false with an
    /// exception raised when there is none or the server refuses it.
    func commit() -> Bool {
        guard let status = self.status, let headers = self.headers, let call = self.call else {
            _ = Python.raise(
                ssgipy_assertion_error(),
                "the application returned its body without calling start_response first (PEP 3333)")
            return false
        }
        guard let statusBytes = ResponseHeadRules.status(status, checkingBytes: false) else { return false }
        let count = ssgipy_list_size(headers)
        let result: Int32? = withUnsafeTemporaryAllocation(of: ssgi_header.self, capacity: max(count, 1)) { fields in
            // The list may have changed since start_response: every field is read again (its
            // bytes were checked there; the server refuses what would split the response).
            for index in 0..<count {
                guard let field = ResponseHeadRules.field(ssgipy_list_item(headers, index), checkingBytes: false) else {
                    return nil
                }
                fields[index] = field
            }
            return self.ops.pointee.start_response(
                call, ResponseHeadRules.bytes(statusBytes), fields.baseAddress, count, 0)
        }
        guard let result else { return false }
        guard result == SSGI_OK else {
            _ = Python.raise(ssgipy_value_error(), "the server refused the response head: \(Self.describe(result))")
            return false
        }
        self.committed = true
        return true
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case Int32(SSGI_E_INVALID_STATUS): "the status is not 'NNN Reason' (SSGI_E_INVALID_STATUS)"
        case Int32(SSGI_E_INVALID_HEADER):
            "a header is malformed: a bad or conflicting Content-Length, or Content-Length on a 1xx or 204 (SSGI_E_INVALID_HEADER)"
        case Int32(SSGI_E_HOP_BY_HOP):
            "a hop-by-hop header (Connection, Keep-Alive, Transfer-Encoding, Upgrade, ...) belongs to the server (SSGI_E_HOP_BY_HOP)"
        default: "result \(code)"
        }
    }

    // MARK: The body

    /// What became of a write.
    enum WriteOutcome {
        case written
        /// The client went away: stop producing the response.
        case disconnected
        /// An exception is raised.
        case failed
    }

    /// Sends `bytes` of the body, committing the head first if needed. `streaming` writes wait
    /// for the server when it falls behind (a generator, `write()`, a file), from the second on;
    /// a list's items, already in memory, are handed over at once.
    func write(_ bytes: UnsafeRawBufferPointer, streaming: Bool) -> WriteOutcome {
        guard !bytes.isEmpty else { return .written }
        guard let call = self.call else {
            _ = Python.raise(ssgipy_runtime_error(), "write() called after the request ended")
            return .failed
        }
        if !self.committed, !self.commit() { return .failed }
        let chunk = ResponseHeadRules.bytes(bytes)
        let status: Int32
        self.writes += 1
        if streaming, self.writes > 1 {
            let exchange = self.sharedExchange
            status = exchange.write(chunk, call: call, ops: self.ops)
            if status == SSGI_OK, !exchange.waitForRoom() { return .disconnected }
        } else {
            status = self.ops.pointee.write(call, chunk, nil, nil)
        }
        switch status {
        case Int32(SSGI_OK): return .written
        case Int32(SSGI_E_DISCONNECTED): return .disconnected
        case Int32(SSGI_E_TOO_MUCH_BODY):
            _ = Python.raise(
                ssgipy_value_error(), "the application wrote more bytes than the Content-Length it declared")
            return .failed
        default:
            _ = Python.raise(ssgipy_runtime_error(), "the server refused a write (result \(status))")
            return .failed
        }
    }

    /// Ends the request: OK, or failed (a 500 when nothing was sent yet, else a cut connection).
    func finish(failed: Bool) {
        guard let call = self.call else { return }
        _ = self.ops.pointee.finish(call, failed ? Int32(SSGI_FINISH_ERROR) : Int32(SSGI_FINISH_OK), nil, nil)
        self.call = nil
    }

    /// Writes `message` to the server's error log, tagged with the request while it runs.
    func log(_ message: String) {
        var message = message
        message.withUTF8 { utf8 in
            self.ops?.pointee.log_error(self.call, ssgi_bytes(data: utf8.baseAddress, length: utf8.count))
        }
    }

    // MARK: The request body

    /// Reads up to `maximum` bytes of the body as a new `bytes` (empty at its end), waiting for
    /// the server without the GIL; nil with `ClientDisconnected` or `OSError` raised when the
    /// body cannot be read.
    func readBody(maximum: Int) -> PythonObject? {
        let size = self.input.nextReadSize(maximum)
        guard size > 0, let call = self.call else { return PyBytes_FromStringAndSize(nil, 0) }
        var bytes: PythonObject? = PyBytes_FromStringAndSize(nil, size)
        guard let created = bytes else { return nil }
        let target = UnsafeMutableRawBufferPointer(start: ssgipy_bytes_data(created), count: size)
        let (length, status) = self.sharedExchange.read(into: target, call: call, ops: self.ops)
        guard status == SSGI_OK else {
            ssgipy_decref(created)
            self.input.failed()
            if status == SSGI_E_DISCONNECTED {
                return Python.raise(
                    PythonException.clientDisconnected ?? ssgipy_os_error(),
                    "the client went away while the body was read")
            }
            return Python.raise(
                PythonException.incompleteBody ?? ssgipy_os_error(),
                "the request body did not arrive intact (malformed chunked encoding, cut short, or too slow)")
        }
        self.input.received(length)
        guard _PyBytes_Resize(&bytes, length) == 0 else { return nil }
        return bytes
    }
}

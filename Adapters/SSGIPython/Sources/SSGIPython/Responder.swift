import CPythonBridge

/// `start_response` and the `write()` it returns (PEP 3333): builtin functions bound to a
/// `Responder` object, one per request, which points to the thread's `RequestState` while the
/// request runs. Called after the request ended, they raise `RuntimeError`.
enum Responder {
    static func makeType() throws(WSGIError) -> PythonType {
        try PythonType(name: "Responder", doc: "What start_response and write() of one request act on.", methods: [])
    }

    /// `start_response` for the request of `responder`.
    static func startResponse(_ responder: PythonObject) -> PythonObject? {
        PyCMethod_New(startResponseDefinition, responder, nil, nil)
    }

    nonisolated(unsafe) private static let startResponseDefinition = permanent(
        .fast("start_response", startResponse, doc: "start_response(status, headers, exc_info=None) -> write"))
    nonisolated(unsafe) private static let writeDefinition = permanent(
        .fast("write", write, doc: "write(data): sends bytes of the body at once (PEP 3333's imperative API)."))

    private static func permanent(_ definition: PythonType.MethodDefinition) -> UnsafeMutablePointer<PyMethodDef> {
        let pointer = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: 1)
        pointer.initialize(to: definition.permanent)
        return pointer
    }

    private static func state(of responder: PythonObject?, calling name: String) -> RequestState? {
        guard let payload = ssgipy_payload(responder!) else {
            _ = Python.raise(ssgipy_runtime_error(), "\(name) was called after its request ended")
            return nil
        }
        return Unmanaged<RequestState>.fromOpaque(payload).takeUnretainedValue()
    }

    private static let startResponse: PythonType.FastMethod = { responder, arguments, count, keywords in
        guard let state = state(of: responder, calling: "start_response") else { return nil }
        let accepted: Bool
        if keywords == nil, count == 2 || count == 3, let status = arguments![0], let headers = arguments![1] {
            accepted = state.startResponse(status: status, headers: headers, excInfo: count == 3 ? arguments![2] : nil)
        } else {
            guard let values = byPosition(arguments, count, keywords) else { return nil }
            accepted = state.startResponse(status: values.0, headers: values.1, excInfo: values.2)
        }
        return accepted ? PyCMethod_New(writeDefinition, responder, nil, nil) : nil
    }

    /// `status`, `headers` and `exc_info` from positional and keyword arguments, or nil with
    /// `TypeError` raised.
    private static func byPosition(
        _ arguments: UnsafePointer<PythonObject?>?, _ count: Int, _ keywords: PythonObject?
    ) -> (PythonObject, PythonObject, PythonObject?)? {
        var values: [PythonObject?] = [nil, nil, nil]
        guard count <= 3 else {
            _ = Python.raise(ssgipy_type_error(), "start_response() takes status, headers and an optional exc_info")
            return nil
        }
        for index in 0..<count { values[index] = arguments![index] }
        for index in 0..<(keywords.map { ssgipy_tuple_size($0) } ?? 0) {
            let name = Python.text(of: ssgipy_tuple_item(keywords!, index))
            guard let position = ["status", "headers", "exc_info"].firstIndex(where: { $0 == name }),
                values[position] == nil
            else {
                _ = Python.raise(
                    ssgipy_type_error(), "start_response() got an unexpected or repeated argument '\(name ?? "?")'")
                return nil
            }
            values[position] = arguments![count + index]
        }
        guard let status = values[0], let headers = values[1] else {
            _ = Python.raise(ssgipy_type_error(), "start_response() takes status, headers and an optional exc_info")
            return nil
        }
        return (status, headers, values[2])
    }

    private static let write: PythonType.FastMethod = { responder, arguments, count, keywords in
        guard let state = state(of: responder, calling: "write()") else { return nil }
        guard count == 1, keywords == nil, let data = arguments?[0], ssgipy_is_bytes(data) != 0 else {
            return Python.raise(ssgipy_type_error(), "write() takes one argument, a bytes (PEP 3333)")
        }
        let buffer = UnsafeRawBufferPointer(start: ssgipy_bytes_data(data), count: ssgipy_bytes_size(data))
        switch state.write(buffer, streaming: true) {
        case .written:
            return ssgipy_newref(ssgipy_none())
        case .disconnected:
            return Python.raise(
                PythonException.clientDisconnected ?? ssgipy_os_error(),
                "the client went away while the response was written")
        case .failed:
            return nil
        }
    }
}

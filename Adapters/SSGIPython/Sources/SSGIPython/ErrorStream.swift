import CPythonBridge

/// `wsgi.errors`: a text stream into the server's error log, with `write`, `writelines` and
/// `flush` (PEP 3333). Each line becomes one log message, tagged with the request the thread
/// serves; what is written between requests, or after a request ended, goes untagged.
///
/// One per Python thread, in the environ of every request that thread serves.
final class ErrorStream {
    private let state: RequestState
    /// Text written since the last newline.
    private var partial: [UInt8] = []

    init(state: RequestState) {
        self.state = state
    }

    /// Appends `text`, logging every line it completes.
    func write(_ text: UnsafeRawBufferPointer) {
        var rest = text[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            self.partial += rest[..<newline]
            self.emit()
            rest = rest[(newline + 1)...]
        }
        self.partial += rest
    }

    /// Logs the line in progress, if any.
    func flush() {
        if !self.partial.isEmpty { self.emit() }
    }

    private func emit() {
        self.state.log(String(decoding: self.partial, as: UTF8.self))
        self.partial.removeAll(keepingCapacity: true)
    }

    // MARK: The Python type

    static func makeType() throws(WSGIError) -> PythonType {
        try PythonType(
            name: "Errors", doc: "wsgi.errors: the server's error log, one message per line.",
            methods: [
                .one("write", write, doc: "write(str): appends the text; each completed line is logged."),
                .one("writelines", writelines, doc: "writelines(iterable): writes each str in turn."),
                .none("flush", flush, doc: "flush(): logs the line in progress."),
            ])
    }

    private static func stream(_ object: PythonObject?) -> ErrorStream {
        Unmanaged<ErrorStream>.fromOpaque(ssgipy_payload(object!)).takeUnretainedValue()
    }

    private static func append(_ text: PythonObject, to stream: ErrorStream) -> Bool {
        guard ssgipy_is_str(text) != 0 else {
            _ = Python.raise(ssgipy_type_error(), "wsgi.errors.write() takes a str (the stream is text, PEP 3333)")
            return false
        }
        var size = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(text, &size) else { return false }
        stream.write(UnsafeRawBufferPointer(start: utf8, count: size))
        return true
    }

    private static let write: PythonType.Method = { object, text in
        guard append(text!, to: stream(object)) else { return nil }
        return ssgipy_newref(ssgipy_none())
    }

    private static let writelines: PythonType.Method = { object, lines in
        guard let iterator = PyObject_GetIter(lines!) else { return nil }
        defer { ssgipy_decref(iterator) }
        while let line = PyIter_Next(iterator) {
            defer { ssgipy_decref(line) }
            guard append(line, to: stream(object)) else { return nil }
        }
        return PyErr_Occurred() == nil ? ssgipy_newref(ssgipy_none()) : nil
    }

    private static let flush: PythonType.Method = { object, _ in
        stream(object).flush()
        return ssgipy_newref(ssgipy_none())
    }
}

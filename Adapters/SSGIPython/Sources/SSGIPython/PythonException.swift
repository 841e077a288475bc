import CPythonBridge

/// The exception Python raised, taken off the thread (the error indicator is cleared) and put in
/// words: the message line gunicorn shows (`ModuleNotFoundError: No module named 'x'`) and the
/// whole traceback, as `traceback.format_exception` writes it.
struct PythonException {
    /// `Type: message`, the last line of the traceback.
    var message: String
    /// The traceback, ending with the message line.
    var traceback: String
    /// Whether it is the bridge's `ClientDisconnected`: the client went away, or its body did
    /// not arrive intact, while the application read the body or wrote the response. The
    /// application's code is not at fault: the log needs no traceback.
    var isClientDisconnect: Bool

    /// The exception raised on this thread, or nil when none is. Requires the GIL.
    static func fetch() -> PythonException? {
        var type: PythonObject?
        var value: PythonObject?
        var traceback: PythonObject?
        PyErr_Fetch(&type, &value, &traceback)
        guard type != nil else { return nil }
        PyErr_NormalizeException(&type, &value, &traceback)
        defer {
            ssgipy_xdecref(type)
            ssgipy_xdecref(value)
            ssgipy_xdecref(traceback)
        }
        if let value, let traceback { PyException_SetTraceback(value, traceback) }
        let lines = Self.format(type!, value, traceback)
        let message = lines.last.map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 } ?? "unknown exception"
        let disconnect = Self.clientDisconnected.map { PyErr_GivenExceptionMatches(type!, $0) != 0 } ?? false
        return PythonException(message: message, traceback: lines.joined(), isClientDisconnect: disconnect)
    }

    /// `swiftserve.ClientDisconnected`, an `OSError`: what the bridge raises in the application when
    /// the client went away. Made once the interpreter runs.
    nonisolated(unsafe) static var clientDisconnected: PythonObject?
    /// `swiftserve.IncompleteBody`, a `ClientDisconnected`: the request body did not arrive intact.
    nonisolated(unsafe) static var incompleteBody: PythonObject?

    /// `traceback.format_exception`, looked up once the interpreter runs.
    nonisolated(unsafe) static var formatter: PythonObject?

    /// The lines `traceback.format_exception` gives, or the exception's `str` when formatting fails.
    private static func format(_ type: PythonObject, _ value: PythonObject?, _ traceback: PythonObject?) -> [String] {
        if let formatter, let value {
            var arguments: [PythonObject?] = [type, value, traceback ?? ssgipy_none()]
            if let lines = PyObject_Vectorcall(formatter, &arguments, 3, nil) {
                defer { ssgipy_decref(lines) }
                if ssgipy_is_list(lines) != 0 {
                    return (0..<ssgipy_list_size(lines)).compactMap { Python.text(of: ssgipy_list_item(lines, $0)) }
                }
            }
            PyErr_Clear()
        }
        let described = value.flatMap { PyObject_Str($0) }
        defer { described.map(ssgipy_decref) }
        return [described.flatMap(Python.text(of:)) ?? "an exception that cannot be described"]
    }
}

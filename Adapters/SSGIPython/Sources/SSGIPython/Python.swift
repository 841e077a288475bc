import CPythonBridge

/// A reference to a Python object, as the C API passes them.
typealias PythonObject = UnsafeMutablePointer<PyObject>

/// Small conveniences over the Python C API. Each requires the GIL.
enum Python {
    /// A new `str` holding `text`.
    static func string(_ text: String) -> PythonObject? {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { PyUnicode_FromStringAndSize($0.baseAddress, utf8.count) }
        }
    }

    /// The interned `str` for `text`: made once, compared by identity in dictionaries.
    static func interned(_ text: String) -> PythonObject {
        PyUnicode_InternFromString(text)
    }

    /// A `str` decoded from `bytes` as latin-1, the way WSGI turns request bytes into native strings.
    static func latin1(_ bytes: UnsafeRawBufferPointer) -> PythonObject? {
        PyUnicode_DecodeLatin1(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count, nil)
    }

    /// The text of a `str` (as UTF-8), or nil when `object` is not one.
    static func text(of object: PythonObject) -> String? {
        guard ssgipy_is_str(object) != 0 else { return nil }
        var size = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else {
            PyErr_Clear()
            return nil
        }
        return String(decoding: UnsafeRawBufferPointer(start: utf8, count: size), as: UTF8.self)
    }

    /// Raises `type` with `message` and returns nil, as a C function of the API returns on error.
    static func raise(_ type: PythonObject, _ message: String) -> PythonObject? {
        PyErr_SetString(type, message)
        return nil
    }

    /// `dictionary[key] = value`, consuming the reference to `value`; false (with an exception)
    /// when `value` is nil or the store fails.
    static func set(_ dictionary: PythonObject, _ key: PythonObject, consuming value: PythonObject?) -> Bool {
        guard let value else { return false }
        defer { ssgipy_decref(value) }
        return PyDict_SetItem(dictionary, key, value) == 0
    }

    /// Runs `body` with the GIL released: for waiting on the server, so that other Python threads run.
    static func withoutGIL<Result>(_ body: () -> Result) -> Result {
        let state = PyEval_SaveThread()
        defer { PyEval_RestoreThread(state) }
        return body()
    }
}

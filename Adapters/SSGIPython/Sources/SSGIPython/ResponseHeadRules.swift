import CPythonBridge
import CSSGI
import SSGI

/// PEP 3333's rules for what the application passes to `start_response`: native strings (`str`
/// whose characters are all latin-1), a status `NNN Reason`, a list of `(name, value)` tuples,
/// names that are HTTP tokens and values without control characters (no CR or LF: a value must
/// never split the response). A broken rule raises in the application, with the header named.
enum ResponseHeadRules {
    /// The status as latin-1 bytes, or nil with `TypeError` or `ValueError` raised. Checked at
    /// `start_response`; `checkingBytes: false` only reads it again, at commit: the server refuses
    /// anything malformed that could have crept in since.
    static func status(_ status: PythonObject, checkingBytes: Bool = true) -> UnsafeRawBufferPointer? {
        guard ssgipy_is_str(status) != 0 else {
            _ = Python.raise(ssgipy_type_error(), "start_response: the status must be a str, not \(typeName(status))")
            return nil
        }
        guard let bytes = latin1(status) else {
            _ = Python.raise(
                ssgipy_value_error(), "start_response: the status \(quoted(status)) holds characters outside latin-1")
            return nil
        }
        guard checkingBytes else { return bytes }
        guard ResponseRules.statusCode(bytes) != nil else {
            _ = Python.raise(
                ssgipy_value_error(),
                "start_response: the status \(quoted(status)) is not '<3 digits> <reason>', such as '200 OK'")
            return nil
        }
        return bytes
    }

    /// Checks `headers`, a list of `(name, value)` tuples of native strings; false with an
    /// exception raised when it breaks a rule.
    static func check(headers: PythonObject) -> Bool {
        guard ssgipy_is_list(headers) != 0 else {
            _ = Python.raise(
                ssgipy_type_error(),
                "start_response: the headers must be a list of (name, value) tuples, not \(typeName(headers))")
            return false
        }
        for index in 0..<ssgipy_list_size(headers) where self.field(ssgipy_list_item(headers, index)) == nil {
            return false
        }
        return true
    }

    /// One header as latin-1 bytes, or nil with an exception raised; `checkingBytes: false` only
    /// reads it again, as `status` does.
    static func field(_ item: PythonObject, checkingBytes: Bool = true) -> ssgi_header? {
        guard ssgipy_is_tuple(item) != 0, ssgipy_tuple_size(item) == 2 else {
            _ = Python.raise(
                ssgipy_type_error(), "start_response: each header must be a (name, value) tuple, not \(quoted(item))")
            return nil
        }
        let name = ssgipy_tuple_item(item, 0)!
        let value = ssgipy_tuple_item(item, 1)!
        guard ssgipy_is_str(name) != 0, ssgipy_is_str(value) != 0 else {
            _ = Python.raise(
                ssgipy_type_error(),
                "start_response: the header \(quoted(item)) must hold two str, not \(typeName(name)) and \(typeName(value))"
            )
            return nil
        }
        guard let nameBytes = latin1(name), !nameBytes.isEmpty, !checkingBytes || ResponseRules.isHeaderName(nameBytes)
        else {
            _ = Python.raise(
                ssgipy_value_error(), "start_response: the header name \(quoted(name)) is not an HTTP token (RFC 9110)")
            return nil
        }
        guard let valueBytes = latin1(value) else {
            _ = Python.raise(
                ssgipy_value_error(),
                "start_response: the value of header \(quoted(name)) holds characters outside latin-1; encode it first (RFC 8187, RFC 2047)"
            )
            return nil
        }
        guard !checkingBytes || ResponseRules.isHeaderValue(valueBytes) else {
            _ = Python.raise(
                ssgipy_value_error(),
                "start_response: the value of header \(quoted(name)) holds a control character (CR, LF, NUL, ...), which would split the response"
            )
            return nil
        }
        return ssgi_header(name: bytes(nameBytes), value: bytes(valueBytes))
    }

    static func bytes(_ buffer: UnsafeRawBufferPointer) -> ssgi_bytes {
        ssgi_bytes(data: buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), length: buffer.count)
    }

    /// The latin-1 bytes CPython keeps for `string`, or nil when a character is beyond U+00FF.
    private static func latin1(_ string: PythonObject) -> UnsafeRawBufferPointer? {
        var length = 0
        guard let data = ssgipy_latin1(string, &length) else { return nil }
        return UnsafeRawBufferPointer(start: data, count: length)
    }

    private static func typeName(_ object: PythonObject) -> String {
        String(cString: object.pointee.ob_type.pointee.tp_name)
    }

    /// `repr(object)`, for messages.
    private static func quoted(_ object: PythonObject) -> String {
        guard let representation = PyObject_Repr(object) else {
            PyErr_Clear()
            return "(unprintable)"
        }
        defer { ssgipy_decref(representation) }
        return Python.text(of: representation) ?? "(unprintable)"
    }
}

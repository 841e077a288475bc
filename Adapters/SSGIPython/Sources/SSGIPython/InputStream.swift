import CPythonBridge

/// `wsgi.input`: the request body as PEP 3333's file-like object, `read(size)`, `read()`,
/// `readline(size)`, `readlines(hint)` and iteration by lines. A read never returns more than
/// asked nor reads past the body; it waits for the server with the GIL released, so the server's
/// event loop is never blocked and other Python threads run meanwhile.
///
/// One object per request, pointing to the thread's `RequestState` while the request runs; used
/// after the request ended, it raises `ValueError`, as a closed file does.
enum InputStream {
    /// Bytes asked of the server at once when the application asks for more, or for a line.
    static let chunkSize = 64 * 1024

    static func makeType() throws(WSGIError) -> PythonType {
        try PythonType(
            name: "Input", doc: "wsgi.input: the request body, read from the server as the application asks for it.",
            methods: [
                .fast(
                    "read", read,
                    doc: "read(size=-1): up to size bytes of the body; all that is left when size is negative or None."),
                .fast(
                    "readline", readline, doc: "readline(size=-1): the next line, newline included, at most size bytes."
                ),
                .fast(
                    "readlines", readlines,
                    doc: "readlines(hint=-1): the remaining lines, stopping once hint bytes were read."),
            ],
            slots: [
                (Py_tp_iter, unsafeBitCast(iterate, to: UnsafeMutableRawPointer.self)),
                (Py_tp_iternext, unsafeBitCast(next, to: UnsafeMutableRawPointer.self)),
            ])
    }

    /// `iter(wsgi.input)`: the object itself.
    private static let iterate: @convention(c) (PythonObject?) -> PythonObject? = { ssgipy_newref($0!) }

    /// `next(wsgi.input)`: the next line; NULL without an exception (StopIteration) at the end.
    private static let next: @convention(c) (PythonObject?) -> PythonObject? = { object in
        guard let state = active(object!), let line = readLine(state, limit: -1) else { return nil }
        if ssgipy_bytes_size(line) == 0 {
            ssgipy_decref(line)
            return nil
        }
        return line
    }

    /// The request the object reads, or nil with `ValueError` raised once it ended.
    private static func active(_ object: PythonObject) -> RequestState? {
        guard let payload = ssgipy_payload(object) else {
            _ = Python.raise(ssgipy_value_error(), "wsgi.input was read after its request ended")
            return nil
        }
        return Unmanaged<RequestState>.fromOpaque(payload).takeUnretainedValue()
    }

    private static let read: PythonType.FastMethod = { object, arguments, count, keywords in
        guard let size = sizeArgument(arguments, count, keywords, name: "size"), let state = active(object!) else {
            return nil
        }
        var parts: [PythonObject] = []
        var total = 0
        let pending = state.input.pendingBytes
        if !pending.isEmpty, size != 0 {
            let take = size < 0 ? pending.count : min(size, pending.count)
            guard let part = bytes(pending.prefix(take)) else { return nil }
            parts.append(part)
            state.input.consume(take)
            total = take
        }
        while size < 0 || total < size {
            guard let chunk = state.readBody(maximum: size < 0 ? chunkSize : min(size - total, chunkSize)) else {
                parts.forEach { ssgipy_decref($0) }
                return nil
            }
            guard ssgipy_bytes_size(chunk) > 0 else {
                ssgipy_decref(chunk)
                break
            }
            total += ssgipy_bytes_size(chunk)
            parts.append(chunk)
        }
        return join(parts, total: total)
    }

    private static let readline: PythonType.FastMethod = { object, arguments, count, keywords in
        guard let limit = sizeArgument(arguments, count, keywords, name: "size"), let state = active(object!) else {
            return nil
        }
        return readLine(state, limit: limit)
    }

    private static let readlines: PythonType.FastMethod = { object, arguments, count, keywords in
        guard let hint = sizeArgument(arguments, count, keywords, name: "hint"), let state = active(object!),
            let lines = PyList_New(0)
        else { return nil }
        var total = 0
        while hint <= 0 || total < hint {
            guard let line = readLine(state, limit: -1) else {
                ssgipy_decref(lines)
                return nil
            }
            defer { ssgipy_decref(line) }
            guard ssgipy_bytes_size(line) > 0 else { break }
            total += ssgipy_bytes_size(line)
            guard PyList_Append(lines, line) == 0 else {
                ssgipy_decref(lines)
                return nil
            }
        }
        return lines
    }

    /// The next line, its newline included, of at most `limit` bytes when `limit` is not negative.
    private static func readLine(_ state: RequestState, limit: Int) -> PythonObject? {
        var parts: [PythonObject] = []
        var total = 0
        while limit < 0 || total < limit {
            if state.input.pendingBytes.isEmpty {
                guard let chunk = state.readBody(maximum: chunkSize) else {
                    parts.forEach { ssgipy_decref($0) }
                    return nil
                }
                guard ssgipy_bytes_size(chunk) > 0 else {
                    ssgipy_decref(chunk)
                    break
                }
                state.input.setPending(chunk)
            }
            let pending = state.input.pendingBytes
            let window = limit < 0 ? pending[...] : pending.prefix(limit - total)
            let newline = window.firstIndex(of: UInt8(ascii: "\n"))
            let take = newline.map { $0 + 1 } ?? window.count
            guard let part = bytes(pending.prefix(take)) else {
                parts.forEach { ssgipy_decref($0) }
                return nil
            }
            parts.append(part)
            state.input.consume(take)
            total += take
            if newline != nil { break }
        }
        return join(parts, total: total)
    }

    /// A new `bytes` holding `buffer`.
    private static func bytes(_ buffer: Slice<UnsafeRawBufferPointer>) -> PythonObject? {
        let rebased = UnsafeRawBufferPointer(rebasing: buffer)
        return PyBytes_FromStringAndSize(rebased.baseAddress?.assumingMemoryBound(to: CChar.self), rebased.count)
    }

    /// `parts` as one `bytes`, consuming their references: the only part itself when there is one.
    private static func join(_ parts: [PythonObject], total: Int) -> PythonObject? {
        if parts.count == 1 { return parts[0] }
        defer { parts.forEach { ssgipy_decref($0) } }
        guard let joined = PyBytes_FromStringAndSize(nil, total) else { return nil }
        var cursor = UnsafeMutableRawPointer(ssgipy_bytes_data(joined)!)
        for part in parts {
            cursor.copyMemory(from: ssgipy_bytes_data(part), byteCount: ssgipy_bytes_size(part))
            cursor += ssgipy_bytes_size(part)
        }
        return joined
    }

    /// The optional size argument of `read`, `readline` and `readlines`: an int, or None for -1.
    private static func sizeArgument(
        _ arguments: UnsafePointer<PythonObject?>?, _ count: Int, _ keywords: PythonObject?, name: String
    ) -> Int? {
        let keywordCount = keywords.map { ssgipy_tuple_size($0) } ?? 0
        let positional = count
        guard positional + keywordCount <= 1 else {
            _ = Python.raise(ssgipy_type_error(), "\(name) is the only argument")
            return nil
        }
        if let keywords, keywordCount == 1, Python.text(of: ssgipy_tuple_item(keywords, 0)) != name {
            _ = Python.raise(ssgipy_type_error(), "unexpected keyword argument; the argument is \(name)")
            return nil
        }
        guard positional + keywordCount == 1, let value = arguments?[0], value != ssgipy_none() else { return -1 }
        guard ssgipy_is_int(value) != 0 else {
            _ = Python.raise(ssgipy_type_error(), "\(name) must be an int or None")
            return nil
        }
        let size = PyLong_AsSsize_t(value)
        if size == -1, PyErr_Occurred() != nil { return nil }
        return size < 0 ? -1 : size
    }
}

import CPythonBridge

/// `wsgi.file_wrapper` (PEP 3333): the application returns `environ['wsgi.file_wrapper'](file)`,
/// and when `file` has the descriptor of a regular file the bridge sends its bytes from the
/// current position to the end straight from the descriptor: read with `pread` without the GIL,
/// never made into Python objects, written to the server with back-pressure. Any other object
/// (a socket, a pipe, `io.BytesIO`) is iterated block by block, as the class itself does.
///
/// SSGI has no operation that hands the server a file, so the bytes still pass through the
/// bridge's buffer on their way to the socket rather than going by `sendfile(2)`.
struct FileWrapper {
    /// `swiftserve.FileWrapper`.
    let type: PythonObject
    private let filelike = Python.interned("filelike")
    private let fileno = Python.interned("fileno")
    private let tell = Python.interned("tell")

    /// Bytes read from the file at a time.
    static let blockSize = 64 * 1024

    /// Whether `object` is exactly a `swiftserve.FileWrapper`.
    func matches(_ object: PythonObject) -> Bool {
        UnsafeMutableRawPointer(object.pointee.ob_type) == UnsafeMutableRawPointer(self.type)
    }

    /// Sends the file `wrapper` wraps from its descriptor: true when sent, false when the client
    /// went away or an exception is raised, nil (nothing sent, nothing raised) when the object
    /// is not a regular file with a descriptor, to be iterated instead.
    func send(_ wrapper: PythonObject, _ state: RequestState) -> Bool? {
        guard let (descriptor, start, size) = self.regularFile(wrapper) else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 1)
        defer { buffer.deallocate() }
        var offset = start
        while offset < size {
            let wanted = Int(min(Int64(Self.blockSize), size - offset))
            let count = Python.withoutGIL { pread(descriptor, buffer.baseAddress, wanted, off_t(offset)) }
            if count < 0 {
                PyErr_SetFromErrno(ssgipy_os_error())
                return false
            }
            // The file shrank: what it holds now was sent.
            if count == 0 { break }
            switch state.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]), streaming: true) {
            case .written: offset += Int64(count)
            case .disconnected, .failed: return false
            }
        }
        return true
    }

    /// The descriptor, current position and size of the file `wrapper` wraps, when it is a
    /// regular file; nil otherwise, with no exception left raised.
    private func regularFile(_ wrapper: PythonObject) -> (CInt, Int64, Int64)? {
        guard let file = PyObject_GetAttr(wrapper, self.filelike) else {
            PyErr_Clear()
            return nil
        }
        defer { ssgipy_decref(file) }
        guard let descriptor = self.callForInt(file, self.fileno), descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(CInt(descriptor), &status) == 0, status.st_mode & UInt32(S_IFMT) == UInt32(S_IFREG) else {
            return nil
        }
        // The file object's own position, which accounts for what it buffered.
        let position = self.callForInt(file, self.tell) ?? Int(lseek(CInt(descriptor), 0, SEEK_CUR))
        guard position >= 0 else { return nil }
        return (CInt(descriptor), Int64(position), Int64(status.st_size))
    }

    /// `object.NAME()` as an int, or nil (with no exception left raised).
    private func callForInt(_ object: PythonObject, _ name: PythonObject) -> Int? {
        guard let value = PyObject_CallMethodNoArgs(object, name) else {
            PyErr_Clear()
            return nil
        }
        defer { ssgipy_decref(value) }
        let number = PyLong_AsSsize_t(value)
        if number == -1, PyErr_Occurred() != nil {
            PyErr_Clear()
            return nil
        }
        return number
    }
}

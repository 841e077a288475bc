import CPythonBridge

/// The module `swiftserve`, importable by applications: `ClientDisconnected`, raised in the
/// application when the client went away, `IncompleteBody`, one of them for a body that did not
/// arrive intact, and `FileWrapper`, the `wsgi.file_wrapper` class, all written in Python; the bridge's own types (`Input`, `Responder`, `Errors`) say they are of it.
enum BridgeModule {
    static let source = """
        \"\"\"swiftserve's WSGI bridge, as the application sees it.\"\"\"


        class ClientDisconnected(OSError):
            \"\"\"The client went away while the body was read or the response written.\"\"\"


        class IncompleteBody(ClientDisconnected):
            \"\"\"The request body did not arrive intact (malformed chunked encoding, cut short, or too
            slow): the server answers the client, or closes the connection, itself.\"\"\"


        class FileWrapper:
            \"\"\"wsgi.file_wrapper (PEP 3333): a file-like object as an iterable of blocks.

            swiftserve sends a regular file's bytes from its descriptor, without Python; any
            other object is iterated, block by block.
            \"\"\"

            def __init__(self, filelike, blksize=8192):
                self.filelike = filelike
                self.blksize = blksize
                if hasattr(filelike, 'close'):
                    self.close = filelike.close

            def __iter__(self):
                return self

            def __next__(self):
                data = self.filelike.read(self.blksize)
                if data:
                    return data
                raise StopIteration
        """

    /// Makes the module and puts it in `sys.modules`; returns it (a new reference).
    static func make() throws(WSGIError) -> PythonObject {
        guard let module = PyImport_AddModule("swiftserve") else { throw Self.failure() }
        let globals = PyModule_GetDict(module)!
        guard PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) == 0,
            let executed = PyRun_StringFlags(Self.source, Py_file_input, globals, globals, nil)
        else { throw Self.failure() }
        ssgipy_decref(executed)
        return ssgipy_newref(module)
    }

    /// An attribute of the module (a new reference).
    static func attribute(_ module: PythonObject, _ name: String) throws(WSGIError) -> PythonObject {
        guard let value = PyObject_GetAttrString(module, name) else { throw Self.failure() }
        return value
    }

    private static func failure() -> WSGIError {
        .python("cannot make the module swiftserve: \(PythonException.fetch()?.message ?? "unknown error")")
    }
}

import CPythonBridge

/// The Python types and names every Python thread uses, made once the interpreter runs.
struct BridgeTypes {
    /// `wsgi.input`.
    let input: PythonType
    /// What `start_response` and `write()` are bound to.
    let responder: PythonType
    /// `wsgi.errors`.
    let errors: PythonType
    /// `wsgi.file_wrapper`.
    let fileWrapper: FileWrapper
    /// `"close"`, looked up on every iterable the application returns.
    let closeName = Python.interned("close")

    init(module: PythonObject) throws(WSGIError) {
        self.input = try InputStream.makeType()
        self.responder = try Responder.makeType()
        self.errors = try ErrorStream.makeType()
        self.fileWrapper = FileWrapper(type: try BridgeModule.attribute(module, "FileWrapper"))
        PythonException.clientDisconnected = try BridgeModule.attribute(module, "ClientDisconnected")
        PythonException.incompleteBody = try BridgeModule.attribute(module, "IncompleteBody")
    }
}

import CPythonBridge

/// Starts the CPython this library is linked with, as `python3` would run for the application:
/// its own standard library, the virtualenv of `VIRTUAL_ENV` when one is active, `--pythonpath`
/// folders and the current directory first on `sys.path` (as gunicorn has them), and the
/// application's arguments as `sys.argv`. Python installs no signal handlers: signals are the
/// server's.
enum PythonInterpreter {
    /// Starts the interpreter; on return this thread holds the GIL.
    static func start(arguments: [String], options: WSGIOptions) throws(WSGIError) {
        try Self.makeSymbolsGlobal()
        let home = try Self.home()
        var config = PyConfig()
        defer { PyConfig_Clear(&config) }
        let status = try withUnsafeMutablePointer(to: &config) { config throws(WSGIError) -> PyStatus in
            PyConfig_InitPythonConfig(config)
            config.pointee.install_signal_handlers = 0
            config.pointee.parse_argv = 0
            try Self.check(PyConfig_SetBytesString(config, &config.pointee.executable, try Self.executable(home: home)))
            let argv = arguments.map { strdup($0) }
            defer { argv.forEach { free($0) } }
            try Self.check(PyConfig_SetBytesArgv(config, argv.count, argv))
            return Py_InitializeFromConfig(config)
        }
        try Self.check(status)
        var path = options.pythonPath
        if let directory = getcwd(nil, 0) {
            path.append(String(cString: directory))
            free(directory)
        }
        let sysPath = PySys_GetObject("path")!
        for (index, folder) in path.enumerated() {
            guard let entry = Python.string(folder), PyList_Insert(sysPath, index, entry) == 0 else {
                throw .python("cannot set sys.path: \(PythonException.fetch()?.message ?? "unknown error")")
            }
            ssgipy_decref(entry)
        }
    }

    /// Imports `options.module` and finds the application in it (a new reference): Python's own
    /// message when the import raises, as gunicorn prints it.
    static func application(_ options: WSGIOptions) throws(WSGIError) -> PythonObject {
        guard var object = PyImport_ImportModule(options.module) else { throw Self.raised() }
        var path = options.callable
        let factory = path.hasSuffix("()")
        if factory { path.removeLast(2) }
        for name in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let attribute = PyObject_GetAttrString(object, String(name)) else {
                ssgipy_decref(object)
                throw Self.raised()
            }
            ssgipy_decref(object)
            object = attribute
        }
        if factory {
            guard let made = PyObject_CallNoArgs(object) else {
                ssgipy_decref(object)
                throw Self.raised()
            }
            ssgipy_decref(object)
            object = made
        }
        guard PyCallable_Check(object) != 0 else {
            ssgipy_decref(object)
            throw .application("'\(options.module):\(options.callable)' is not callable: name a WSGI application")
        }
        return object
    }

    /// The exception raised, as the error that stops the server; its traceback goes to the log.
    static func raised() -> WSGIError {
        guard let exception = PythonException.fetch() else {
            return .application("the application could not be loaded")
        }
        logTraceback?(exception.traceback)
        return .application(exception.message)
    }

    /// Where a traceback at startup is written (the server's log).
    nonisolated(unsafe) static var logTraceback: ((String) -> Void)?

    /// Extension modules (`_json`, `_ssl`, ...) expect the interpreter's symbols to be global, as
    /// they are in the `python3` executable; this library, and libpython with it, was opened
    /// with `RTLD_LOCAL`. Opening libpython again with `RTLD_GLOBAL` makes them so.
    private static func makeSymbolsGlobal() throws(WSGIError) {
        let library = try Self.libraryPath()
        guard dlopen(library, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) != nil else {
            throw .python("cannot make the symbols of \(library) global: \(String(cString: dlerror()))")
        }
    }

    /// The path of the libpython this library is linked with.
    private static func libraryPath() throws(WSGIError) -> String {
        guard let path = ssgipy_libpython_path() else {
            throw .python("cannot find the libpython this bridge is linked with")
        }
        return String(cString: path)
    }

    /// The prefix of that Python, where its standard library is: the nearest folder above
    /// libpython with `lib/pythonX.Y/os.py` (`/usr` for Debian's).
    private static func home() throws(WSGIError) -> String {
        let library = try Self.libraryPath()
        var folder =
            realpath(library, nil).map { path in
                defer { free(path) }
                return String(cString: path)
            } ?? library
        while let slash = folder.lastIndex(of: "/"), !folder.isEmpty {
            folder = String(folder[..<slash])
            if access(folder + "/lib/python\(PY_MAJOR_VERSION).\(PY_MINOR_VERSION)/os.py", F_OK) == 0 {
                return folder.isEmpty ? "/" : folder
            }
        }
        throw .python("cannot find the standard library of \(library)")
    }

    /// The interpreter `sys.executable` names: the virtualenv's when `VIRTUAL_ENV` is set (which
    /// makes Python use the virtualenv, as running its `python3` does), else this Python's own.
    private static func executable(home: String) throws(WSGIError) -> String {
        let version = "\(PY_MAJOR_VERSION).\(PY_MINOR_VERSION)"
        guard let environment = getenv("VIRTUAL_ENV"), environment.pointee != 0 else {
            return "\(home)/bin/python\(version)"
        }
        let virtualenv = String(cString: environment)
        let configuration = try Self.read("\(virtualenv)/pyvenv.cfg") {
            .python(
                "VIRTUAL_ENV is \(virtualenv), which is not a virtualenv (no pyvenv.cfg): activate another, or unset it"
            )
        }
        let made = configuration.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            return parts.count == 2 && parts[0] == "home" ? parts[1] : nil
        }.first
        guard let made, Self.samePath(made, "\(home)/bin") else {
            throw .python(
                "the virtualenv \(virtualenv) was made with the Python in \(made ?? "an unknown place"), not the Python \(version) in \(home)/bin this bridge embeds: make it with \(home)/bin/python\(version) -m venv"
            )
        }
        return "\(virtualenv)/bin/python\(version)"
    }

    private static func samePath(_ first: String, _ second: String) -> Bool {
        func resolved(_ path: String) -> String {
            guard let real = realpath(path, nil) else { return path }
            defer { free(real) }
            return String(cString: real)
        }
        return resolved(first) == resolved(second)
    }

    private static func read(_ path: String, orElse failure: () -> WSGIError) throws(WSGIError) -> String {
        guard let file = fopen(path, "r") else { throw failure() }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func check(_ status: PyStatus) throws(WSGIError) {
        guard PyStatus_Exception(status) != 0 else { return }
        let message = status.err_msg.map { String(cString: $0) } ?? "unknown error"
        throw .python("cannot start Python: \(message)")
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

import CPythonBridge
import CSSGI
import SSGI

/// Builds each request's environ (PEP 3333) from the server's `ssgi_request`: a copy of a
/// dictionary made once per thread with everything that never changes (`wsgi.version`, the
/// thread's `wsgi.errors`, `wsgi.file_wrapper`, ...), then the request's values as native strings
/// (its bytes decoded as latin-1) under keys interned once.
///
/// `PATH_INFO` of `/%C3%A9` is `'/Ã©'`, as PEP 3333 requires: the server percent-decodes the
/// path to bytes, and every byte becomes the character of the same number.
final class EnvironBuilder {
    /// What every thread's builder shares: the interned keys and the values that recur.
    final class Shared {
        let requestMethod = Python.interned("REQUEST_METHOD")
        let scriptName = Python.interned("SCRIPT_NAME")
        let pathInfo = Python.interned("PATH_INFO")
        let queryString = Python.interned("QUERY_STRING")
        let contentType = Python.interned("CONTENT_TYPE")
        let contentLength = Python.interned("CONTENT_LENGTH")
        let serverName = Python.interned("SERVER_NAME")
        let serverPort = Python.interned("SERVER_PORT")
        let serverProtocol = Python.interned("SERVER_PROTOCOL")
        let remoteAddr = Python.interned("REMOTE_ADDR")
        let remotePort = Python.interned("REMOTE_PORT")
        let requestURI = Python.interned("REQUEST_URI")
        let urlScheme = Python.interned("wsgi.url_scheme")
        let tlsClientSubject = Python.interned("SSL_CLIENT_S_DN")
        let input = Python.interned("wsgi.input")
        let headerKeys = HeaderKeys()
        /// Values most requests carry, made once: methods, protocols and schemes.
        let common: [(bytes: [UInt8], value: PythonObject)] = [
            "", "GET", "HTTP/1.1", "http", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "HTTP/1.0", "https",
        ].map { (Array($0.utf8), Python.interned($0)) }
        /// The constant part of the environ, copied into each thread's base.
        let constants: PythonObject

        init(serverSoftware: String, multiprocess: Bool, fileWrapper: PythonObject) throws(WSGIError) {
            // Room for the keys every request adds (its headers), so that no copy is resized: a
            // dictionary sized for 40 entries, whose copies keep its size.
            guard let constants = _PyDict_NewPresized(40), let version = PyTuple_New(2) else {
                throw .python("cannot make the environ: out of memory")
            }
            PyTuple_SetItem(version, 0, PyLong_FromLong(1))
            PyTuple_SetItem(version, 1, PyLong_FromLong(0))
            let entries: [(String, PythonObject?)] = [
                ("wsgi.version", version),
                ("wsgi.multithread", ssgipy_newref(ssgipy_bool(1))),
                ("wsgi.multiprocess", ssgipy_newref(ssgipy_bool(multiprocess ? 1 : 0))),
                ("wsgi.run_once", ssgipy_newref(ssgipy_bool(0))),
                ("wsgi.input_terminated", ssgipy_newref(ssgipy_bool(1))),
                ("wsgi.file_wrapper", ssgipy_newref(fileWrapper)),
                ("SERVER_SOFTWARE", Python.string(serverSoftware)),
                ("GATEWAY_INTERFACE", Python.string("CGI/1.1")),
            ]
            for (key, value) in entries where !Python.set(constants, Python.interned(key), consuming: value) {
                throw .python("cannot make the environ: \(PythonException.fetch()?.message ?? "unknown error")")
            }
            // The keys every request sets, already in place: a request's values replace them.
            for key in [
                self.requestMethod, self.scriptName, self.pathInfo, self.queryString, self.serverName, self.serverPort,
                self.serverProtocol, self.remoteAddr, self.remotePort, self.requestURI, self.urlScheme, self.input,
            ] where PyDict_SetItem(constants, key, ssgipy_none()) != 0 {
                throw .python("cannot make the environ: \(PythonException.fetch()?.message ?? "unknown error")")
            }
            self.constants = constants
        }

        /// A new `str` for `bytes`, decoded as latin-1.
        func value(_ bytes: ssgi_bytes) -> PythonObject? {
            Python.latin1(UnsafeRawBufferPointer(start: bytes.data, count: bytes.data == nil ? 0 : bytes.length))
        }

        /// The `str` for `bytes`, shared when it is one of the common values.
        func commonValue(_ bytes: ssgi_bytes) -> PythonObject? {
            let buffer = UnsafeRawBufferPointer(start: bytes.data, count: bytes.data == nil ? 0 : bytes.length)
            for entry in self.common where entry.bytes.count == buffer.count {
                let equal = entry.bytes.withUnsafeBytes {
                    $0.count == 0 || memcmp($0.baseAddress!, buffer.baseAddress!, $0.count) == 0
                }
                if equal { return ssgipy_newref(entry.value) }
            }
            return Python.latin1(buffer)
        }
    }

    private let shared: Shared
    /// This thread's constants, its `wsgi.errors` among them.
    private let base: PythonObject

    init(shared: Shared, errors: PythonObject) throws(WSGIError) {
        self.shared = shared
        guard let base = PyDict_Copy(shared.constants),
            Python.set(base, Python.interned("wsgi.errors"), consuming: ssgipy_newref(errors))
        else {
            throw .python("cannot make the environ: \(PythonException.fetch()?.message ?? "unknown error")")
        }
        self.base = base
    }

    /// Where `tls_client_subject` (SSGI 1.2) ends: the request has it when `struct_size` reaches it.
    private static let tlsClientSubjectEnd =
        MemoryLayout<ssgi_request>.offset(of: \.tls_client_subject)! + MemoryLayout<ssgi_bytes>.size

    /// The environ of `request`, with `input` as `wsgi.input`; nil with an exception raised.
    func environ(for request: ssgi_request, input: PythonObject) -> PythonObject? {
        guard let environ = PyDict_Copy(self.base) else { return nil }
        let shared = self.shared
        var stored =
            Python.set(environ, shared.requestMethod, consuming: shared.commonValue(request.request_method))
            && Python.set(environ, shared.scriptName, consuming: shared.commonValue(request.script_name))
            && Python.set(environ, shared.pathInfo, consuming: shared.value(request.path_info))
            && Python.set(environ, shared.queryString, consuming: shared.value(request.query_string))
            && Python.set(environ, shared.serverName, consuming: shared.value(request.server_name))
            && Python.set(environ, shared.serverPort, consuming: shared.value(request.server_port))
            && Python.set(environ, shared.serverProtocol, consuming: shared.commonValue(request.server_protocol))
            && Python.set(environ, shared.remoteAddr, consuming: shared.value(request.remote_addr))
            && Python.set(environ, shared.remotePort, consuming: shared.value(request.remote_port))
            && Python.set(environ, shared.requestURI, consuming: shared.value(request.request_uri))
            && Python.set(environ, shared.urlScheme, consuming: shared.commonValue(request.url_scheme))
            && PyDict_SetItem(environ, shared.input, input) == 0
        // Absent when the request has none, as CGI has them (PEP 3333 allows either).
        if stored, request.content_type.length > 0 {
            stored = Python.set(environ, shared.contentType, consuming: shared.value(request.content_type))
        }
        if stored, request.content_length.length > 0 {
            stored = Python.set(environ, shared.contentLength, consuming: shared.value(request.content_length))
        }
        // SSGI 1.2: the verified client certificate's subject, under mod_ssl's name.
        if stored, request.struct_size >= Self.tlsClientSubjectEnd, request.tls_client_subject.length > 0 {
            stored = Python.set(environ, shared.tlsClientSubject, consuming: shared.value(request.tls_client_subject))
        }
        if stored {
            stored = self.addHeaders(request, to: environ)
        }
        guard stored else {
            ssgipy_decref(environ)
            return nil
        }
        return environ
    }

    /// One `HTTP_*` key per header name; repeated fields joined with ", " (Cookie with "; ").
    private func addHeaders(_ request: ssgi_request, to environ: PythonObject) -> Bool {
        for index in 0..<request.header_count {
            let header = request.headers[index]
            let name = UnsafeRawBufferPointer(start: header.name.data, count: header.name.length)
            let key: PythonObject
            var ownedKey: PythonObject?
            switch self.shared.headerKeys.key(for: name) {
            case .key(let found, let owned):
                key = found
                if owned { ownedKey = found }
            case .none: continue
            case .failed: return false
            }
            defer { ownedKey.map { ssgipy_decref($0) } }
            guard let value = self.shared.value(header.value) else { return false }
            defer { ssgipy_decref(value) }
            guard let existing = PyDict_SetDefault(environ, key, value) else { return false }
            if existing != value {
                let separator = ASCII.equalsIgnoringCase(name, "cookie") ? "; " : ", "
                guard let joined = Self.join(existing, separator, value),
                    Python.set(environ, key, consuming: joined)
                else { return false }
            }
        }
        return true
    }

    private static func join(_ first: PythonObject, _ separator: String, _ second: PythonObject) -> PythonObject? {
        guard let separator = Python.string(separator) else { return nil }
        defer { ssgipy_decref(separator) }
        guard let head = PyUnicode_Concat(first, separator) else { return nil }
        defer { ssgipy_decref(head) }
        return PyUnicode_Concat(head, second)
    }
}

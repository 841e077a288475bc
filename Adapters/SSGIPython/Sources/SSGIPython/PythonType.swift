import CPythonBridge

/// A Python type made by the bridge, whose objects are `SSGIPyObject`s: Python's header and one
/// pointer to the Swift state they stand for.
///
/// Types, method tables and names live as long as the process, as C extension types do.
struct PythonType {
    /// A method called with positional arguments in a C array and keyword names apart (METH_FASTCALL | METH_KEYWORDS).
    typealias FastMethod =
        @convention(c) (PythonObject?, UnsafePointer<PythonObject?>?, Int, PythonObject?) -> PythonObject?
    /// A method of one argument (METH_O) or none (METH_NOARGS, where the argument is NULL).
    typealias Method = @convention(c) (PythonObject?, PythonObject?) -> PythonObject?

    /// One entry of the method table.
    struct MethodDefinition {
        var name: String
        var function: PyCFunction
        var flags: Int32
        var doc: String

        static func fast(_ name: String, _ function: FastMethod, doc: String) -> MethodDefinition {
            MethodDefinition(
                name: name, function: unsafeBitCast(function, to: PyCFunction.self),
                flags: METH_FASTCALL | METH_KEYWORDS, doc: doc)
        }

        static func one(_ name: String, _ function: Method, doc: String) -> MethodDefinition {
            MethodDefinition(name: name, function: function, flags: METH_O, doc: doc)
        }

        static func none(_ name: String, _ function: Method, doc: String) -> MethodDefinition {
            MethodDefinition(name: name, function: function, flags: METH_NOARGS, doc: doc)
        }

        /// The C entry, with its strings copied for the life of the process.
        var permanent: PyMethodDef {
            PyMethodDef(
                ml_name: strdup(self.name), ml_meth: self.function, ml_flags: self.flags, ml_doc: strdup(self.doc))
        }
    }

    let object: UnsafeMutablePointer<PyTypeObject>

    /// Makes the type `swiftserve.NAME` with `methods` and extra `slots` (`Py_tp_iter`, ...).
    init(name: String, doc: String, methods: [MethodDefinition], slots: [(Int32, UnsafeMutableRawPointer)] = [])
        throws(WSGIError)
    {
        let table = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: methods.count + 1)
        for (index, method) in methods.enumerated() {
            (table + index).initialize(to: method.permanent)
        }
        (table + methods.count).initialize(to: PyMethodDef())
        let dealloc: @convention(c) (PythonObject?) -> Void = { ssgipy_free_object($0) }
        let all: [(Int32, UnsafeMutableRawPointer?)] =
            [
                (Py_tp_methods, UnsafeMutableRawPointer(table)),
                (Py_tp_dealloc, unsafeBitCast(dealloc, to: UnsafeMutableRawPointer.self)),
                (Py_tp_doc, UnsafeMutableRawPointer(strdup(doc))),
            ] + slots.map { ($0.0, Optional($0.1)) } + [(0, nil)]
        let slotTable = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: all.count)
        for (index, slot) in all.enumerated() {
            (slotTable + index).initialize(to: PyType_Slot(slot: slot.0, pfunc: slot.1))
        }
        var spec = PyType_Spec(
            name: strdup("swiftserve.\(name)"), basicsize: Int32(MemoryLayout<SSGIPyObject>.size), itemsize: 0,
            flags: ssgipy_type_flags(), slots: slotTable)
        guard let type = PyType_FromSpec(&spec) else {
            throw .python(
                "cannot make the type swiftserve.\(name): \(PythonException.fetch()?.message ?? "unknown error")")
        }
        self.object = UnsafeMutableRawPointer(type).assumingMemoryBound(to: PyTypeObject.self)
    }

    /// A new object of this type standing for `payload`.
    func make(_ payload: UnsafeMutableRawPointer?) -> PythonObject? {
        ssgipy_new_object(self.object, payload)
    }

    /// Whether `object` is of exactly this type.
    func isType(of object: PythonObject) -> Bool {
        ssgipy_is_type(object, self.object) != 0
    }
}

/*
 * CPythonBridge: the parts of the Python C API that Swift cannot call as they are.
 *
 * The API's reference counting, type checks and object accessors are macros or static inline
 * functions over struct internals, and its formatting functions are variadic; each is wrapped
 * here in a small inline function. Everything else (PyDict_SetItem, PyObject_Vectorcall,
 * PyEval_SaveThread, ...) Swift calls directly through this module, which includes Python.h.
 * Nothing here holds state, and every function requires the GIL.
 */
#ifndef CPYTHON_BRIDGE_H
#define CPYTHON_BRIDGE_H

/* The C library first, as Swift's Glibc module sees it: Python.h turns on _GNU_SOURCE, under
 * which some of glibc's structs (fd_set) are spelled differently, and Swift refuses two
 * definitions of one struct. Included here first, they keep the spelling Glibc has. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/** The path of the libpython this code is linked with, as the dynamic loader opened it; NULL if unknown. */
const char *ssgipy_libpython_path(void);

/**
 * Makes the calling thread SCHED_BATCH: the kernel no longer lets it preempt, when woken, the
 * thread that woke it. Returns 0, or an errno value.
 */
int ssgipy_schedule_as_batch(void);

/* ---- Reference counting -------------------------------------------------------------------- */

static inline void ssgipy_incref(PyObject *object) { Py_INCREF(object); }
static inline void ssgipy_decref(PyObject *object) { Py_DECREF(object); }
static inline void ssgipy_xdecref(PyObject *object) { Py_XDECREF(object); }
/** `object` with a new reference, as returned by a function that returns a new reference. */
static inline PyObject *ssgipy_newref(PyObject *object) { return Py_NewRef(object); }

/* ---- Exceptions (Python's exception types are mutable globals to Swift) -------------------- */

static inline PyObject *ssgipy_assertion_error(void) { return PyExc_AssertionError; }
static inline PyObject *ssgipy_attribute_error(void) { return PyExc_AttributeError; }
static inline PyObject *ssgipy_os_error(void) { return PyExc_OSError; }
static inline PyObject *ssgipy_runtime_error(void) { return PyExc_RuntimeError; }
static inline PyObject *ssgipy_type_error(void) { return PyExc_TypeError; }
static inline PyObject *ssgipy_value_error(void) { return PyExc_ValueError; }

/* ---- Singletons ---------------------------------------------------------------------------- */

static inline PyObject *ssgipy_none(void) { return Py_None; }
static inline PyObject *ssgipy_bool(int value) { return value ? Py_True : Py_False; }

/* ---- Type checks --------------------------------------------------------------------------- */

static inline int ssgipy_is_bytes(PyObject *object) { return PyBytes_Check(object); }
static inline int ssgipy_is_str(PyObject *object) { return PyUnicode_Check(object); }
static inline int ssgipy_is_list(PyObject *object) { return PyList_Check(object); }
static inline int ssgipy_is_exact_list(PyObject *object) { return PyList_CheckExact(object); }
static inline int ssgipy_is_tuple(PyObject *object) { return PyTuple_Check(object); }
static inline int ssgipy_is_exact_tuple(PyObject *object) { return PyTuple_CheckExact(object); }
static inline int ssgipy_is_int(PyObject *object) { return PyLong_Check(object); }
static inline int ssgipy_is_type(PyObject *object, PyTypeObject *type) { return Py_IS_TYPE(object, type); }

/* ---- Bytes, lists and tuples (borrowed references, no checks) ------------------------------- */

static inline char *ssgipy_bytes_data(PyObject *bytes) { return PyBytes_AS_STRING(bytes); }
static inline Py_ssize_t ssgipy_bytes_size(PyObject *bytes) { return PyBytes_GET_SIZE(bytes); }
static inline Py_ssize_t ssgipy_list_size(PyObject *list) { return PyList_GET_SIZE(list); }
static inline PyObject *ssgipy_list_item(PyObject *list, Py_ssize_t index) { return PyList_GET_ITEM(list, index); }
static inline Py_ssize_t ssgipy_tuple_size(PyObject *tuple) { return PyTuple_GET_SIZE(tuple); }
static inline PyObject *ssgipy_tuple_item(PyObject *tuple, Py_ssize_t index) {
    return PyTuple_GET_ITEM(tuple, index);
}

/**
 * The bytes of `string` read as latin-1, the encoding of WSGI's native strings (PEP 3333), when
 * every character is below U+0100: then CPython already stores it as one byte per character,
 * and the pointer is to that storage (valid while `string` lives). NULL when a character is
 * outside latin-1. `string` must be a str.
 */
static inline const uint8_t *ssgipy_latin1(PyObject *string, Py_ssize_t *length) {
    if (PyUnicode_READY(string) != 0) {
        PyErr_Clear();
        return NULL;
    }
    if (PyUnicode_KIND(string) != PyUnicode_1BYTE_KIND) return NULL;
    *length = PyUnicode_GET_LENGTH(string);
    return PyUnicode_1BYTE_DATA(string);
}

/* ---- Objects of the bridge's own types ------------------------------------------------------ */

/** The layout of every object of a type the bridge defines: Python's header and one pointer. */
typedef struct {
    PyObject_HEAD
    void *payload;
} SSGIPyObject;

static inline void *ssgipy_payload(PyObject *object) { return ((SSGIPyObject *)object)->payload; }
static inline void ssgipy_set_payload(PyObject *object, void *payload) { ((SSGIPyObject *)object)->payload = payload; }
/** Allocates an object of `type` (a type the bridge made with `basicsize` sizeof(SSGIPyObject)). */
static inline PyObject *ssgipy_new_object(PyTypeObject *type, void *payload) {
    PyObject *object = type->tp_alloc(type, 0);
    if (object != NULL) ((SSGIPyObject *)object)->payload = payload;
    return object;
}
/** The deallocation of such an object, once its payload is released. */
static inline void ssgipy_free_object(PyObject *object) {
    PyTypeObject *type = Py_TYPE(object);
    type->tp_free(object);
    Py_DECREF(type);
}
/** The flags of the bridge's types: default ones, and not instantiable from Python. */
static inline unsigned int ssgipy_type_flags(void) { return Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION; }

#endif /* CPYTHON_BRIDGE_H */

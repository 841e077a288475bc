// The Python C API (python3-embed): CPythonBridge includes it; the module only carries
// pkg-config's flags to the targets that depend on it.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The bridge's functions that need more than the header's inline ones. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>

#include "CPythonBridge.h"

const char *ssgipy_libpython_path(void) {
    Dl_info info;
    if (dladdr((void *)Py_Initialize, &info) == 0) return NULL;
    return info.dli_fname;
}

int ssgipy_schedule_as_batch(void) {
    struct sched_param parameters = {.sched_priority = 0};
    return pthread_setschedparam(pthread_self(), SCHED_BATCH, &parameters);
}

/*
 * Entry points that return what a server must refuse, one per loader check.
 */
#include <stddef.h>

#include "ssgi.h"

static void handle(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    (void)request;
    ops->finish(call, SSGI_FINISH_ERROR, NULL, NULL);
}

#define DESCRIPTOR(NAME, MAGIC, MAJOR, MINOR, SIZE, HANDLE)                                           \
    static const ssgi_app NAME##_descriptor = {                                                        \
        .magic = MAGIC, .abi_major = MAJOR, .abi_minor = MINOR, .struct_size = SIZE, .name = #NAME, \
        .sdk_version = "", .compiler = "C", .execution = SSGI_EXECUTION_INLINE, .handle = HANDLE};    \
    const ssgi_app *NAME(void) { return &NAME##_descriptor; }

DESCRIPTOR(wrong_magic, 0x57534749u, SSGI_ABI_MAJOR, SSGI_ABI_MINOR, sizeof(ssgi_app), handle)
DESCRIPTOR(wrong_major, SSGI_MAGIC, SSGI_ABI_MAJOR + 1, 0, sizeof(ssgi_app), handle)
DESCRIPTOR(newer_minor, SSGI_MAGIC, SSGI_ABI_MAJOR, SSGI_ABI_MINOR + 7, sizeof(ssgi_app), handle)
DESCRIPTOR(no_handle, SSGI_MAGIC, SSGI_ABI_MAJOR, SSGI_ABI_MINOR, sizeof(ssgi_app), NULL)

static const ssgi_app unknown_execution_descriptor = {
    .magic = SSGI_MAGIC, .abi_major = SSGI_ABI_MAJOR, .abi_minor = SSGI_ABI_MINOR, .struct_size = sizeof(ssgi_app),
    .name = "unknown_execution", .sdk_version = "", .compiler = "C", .execution = 7, .handle = handle};
const ssgi_app *unknown_execution(void) { return &unknown_execution_descriptor; }

/* Says it was built by a Swift compiler that is not the server's: its Swift code would run on
   the server's Swift runtime, which has no stable ABI on Linux. */
static const ssgi_app other_swift_descriptor = {
    .magic = SSGI_MAGIC, .abi_major = SSGI_ABI_MAJOR, .abi_minor = SSGI_ABI_MINOR, .struct_size = sizeof(ssgi_app),
    .name = "other_swift", .sdk_version = "SSGI-Swift/1.0.0", .compiler = "Swift 5.10",
    .execution = SSGI_EXECUTION_INLINE, .handle = handle};
const ssgi_app *other_swift(void) { return &other_swift_descriptor; }

const ssgi_app *returns_null(void) { return NULL; }

/*
 * An SSGI application that names its build: every request is answered with
 * "version VERSION\n", VERSION being a string given when it is compiled
 * (cc -DVERSION='"two"'). Two builds of it are two releases of one library, for
 * the tests that swap the library under a running server.
 */
#include <string.h>

#include "ssgi.h"

#ifndef VERSION
#define VERSION "unnamed"
#endif

static const char body[] = "version " VERSION "\n";

static void handle(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    (void)request;
    ssgi_header headers[] = {{{(const uint8_t *)"Content-Type", 12}, {(const uint8_t *)"text/plain", 10}}};
    ops->start_response(call, (ssgi_bytes){(const uint8_t *)"200 OK", 6}, headers, 1, 0);
    ops->write(call, (ssgi_bytes){(const uint8_t *)body, strlen(body)}, NULL, NULL);
    ops->finish(call, SSGI_FINISH_OK, NULL, NULL);
}

static const ssgi_app descriptor = {
    .magic = SSGI_MAGIC,
    .abi_major = SSGI_ABI_MAJOR,
    .abi_minor = SSGI_ABI_MINOR,
    .struct_size = sizeof(ssgi_app),
    .name = "version",
    .sdk_version = "",
    .compiler = "C",
    .execution = SSGI_EXECUTION_INLINE,
    .context = NULL,
    .startup = NULL,
    .handle = handle,
    .shutdown = NULL,
};

const ssgi_app *app(void) { return &descriptor; }

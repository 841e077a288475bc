/*
 * An SSGI application in plain C, written against ssgi.h alone.
 *
 * GET answers "Hello from C!\n". POST reads the whole body with ops->read and
 * answers "read N bytes\n", streaming the answer with ops->write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgi.h"

typedef struct request_state {
    ssgi_call *call;
    const ssgi_server_ops *ops;
    size_t total;
} request_state;

static ssgi_bytes text(const char *s) {
    ssgi_bytes b = {(const uint8_t *)s, strlen(s)};
    return b;
}

static void cleanup(void *context, int32_t status) {
    (void)status;
    free(context);
}

static void on_read(void *context, ssgi_bytes bytes, int32_t status) {
    request_state *state = context;
    if (status != SSGI_OK) {
        state->ops->log_error(state->call, text("hello.c: the body could not be read"));
        state->ops->finish(state->call, SSGI_FINISH_ERROR, cleanup, state);
        return;
    }
    if (bytes.length > 0) {
        state->total += bytes.length;
        state->ops->read(state->call, 0, on_read, state);
        return;
    }
    ssgi_header headers[] = {{text("Content-Type"), text("text/plain")}};
    state->ops->start_response(state->call, text("200 OK"), headers, 1, 0);
    char line[64];
    snprintf(line, sizeof line, "read %zu bytes\n", state->total);
    state->ops->write(state->call, text("C says: "), NULL, NULL);
    state->ops->write(state->call, text(line), NULL, NULL);
    state->ops->finish(state->call, SSGI_FINISH_OK, cleanup, state);
}

static void handle(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    if (request->request_method.length == 4 && memcmp(request->request_method.data, "POST", 4) == 0) {
        request_state *state = calloc(1, sizeof *state);
        state->call = call;
        state->ops = ops;
        ops->read(call, 0, on_read, state);
        return;
    }
    ssgi_header headers[] = {{text("Content-Type"), text("text/plain")}, {text("X-Written-In"), text("C")}};
    ops->start_response(call, text("200 OK"), headers, 2, 0);
    ops->write(call, text("Hello from C!\n"), NULL, NULL);
    ops->finish(call, SSGI_FINISH_OK, NULL, NULL);
}

static const ssgi_app descriptor = {
    .magic = SSGI_MAGIC,
    .abi_major = SSGI_ABI_MAJOR,
    .abi_minor = SSGI_ABI_MINOR,
    .struct_size = sizeof(ssgi_app),
    .name = "hello-c",
    .sdk_version = "",
    .compiler = "C",
    .execution = SSGI_EXECUTION_INLINE,
    .context = NULL,
    .startup = NULL,
    .handle = handle,
    .shutdown = NULL,
};

const ssgi_app *app(void) { return &descriptor; }

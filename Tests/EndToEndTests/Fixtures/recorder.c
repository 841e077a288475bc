/*
 * An SSGI application in C that logs what the server tells it, so that the tests can check
 * which codes a fault gives, and that startup, cleanup and shutdown run.
 *
 * Two entry points, one per execution style: `inline_app` (INLINE: everything in handle and
 * the callbacks) and `pool_app` (THREAD_POOL: a thread per request reads with blocking waits).
 * A request with a body is logged ("recorder: reading the body"), read to its end and answered
 * "read N bytes"; a read that fails is logged as "recorder: read_done CODE", and the request
 * finished as failed. Every cleanup is logged as "recorder: cleanup CODE", startup and shutdown
 * as "recorder: startup" and "recorder: shutdown". A request without a body gets "recorder\n".
 * An INLINE read completion that runs on another thread than `handle` is logged as "recorder:
 * read_done on another thread" (SPEC §12: callbacks run on the connection's I/O thread).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgi.h"

typedef struct exchange {
    ssgi_call *call;
    const ssgi_server_ops *ops;
    size_t received;
    /* THREAD_POOL: the completion the reading thread waits for. */
    pthread_mutex_t lock;
    pthread_cond_t ready;
    int completed;
    size_t length;
    int32_t status;
    pthread_t handle_thread;
} exchange;

static ssgi_bytes text(const char *s) {
    ssgi_bytes b = {(const uint8_t *)s, strlen(s)};
    return b;
}

static void log_code(const ssgi_server_ops *ops, ssgi_call *call, const char *what, int32_t code) {
    char line[64];
    snprintf(line, sizeof line, "recorder: %s %d", what, (int)code);
    ops->log_error(call, text(line));
}

static void cleanup(void *context, int32_t status) {
    exchange *x = context;
    log_code(x->ops, NULL, "cleanup", status);
    pthread_mutex_destroy(&x->lock);
    pthread_cond_destroy(&x->ready);
    free(x);
}

/* The body was read to its end (status 0), or could not be (the code): answer or fail. */
static void conclude(exchange *x, int32_t status) {
    if (status != SSGI_OK) {
        log_code(x->ops, x->call, "read_done", status);
        x->ops->finish(x->call, SSGI_FINISH_ERROR, cleanup, x);
        return;
    }
    char answer[64];
    snprintf(answer, sizeof answer, "read %zu bytes\n", x->received);
    ssgi_header headers[] = {{text("Content-Type"), text("text/plain")}};
    x->ops->start_response(x->call, text("200 OK"), headers, 1, 0);
    x->ops->write(x->call, text(answer), NULL, NULL);
    x->ops->finish(x->call, SSGI_FINISH_OK, cleanup, x);
}

/* INLINE: each completion asks for the next bytes. The bodies of these tests are small, so
   a completion that comes inside `read` may recurse. */
static void on_read_inline(void *context, ssgi_bytes bytes, int32_t status) {
    exchange *x = context;
    if (!pthread_equal(pthread_self(), x->handle_thread)) {
        x->ops->log_error(x->call, text("recorder: read_done on another thread"));
    }
    if (status != SSGI_OK || bytes.length == 0) {
        conclude(x, status);
        return;
    }
    x->received += bytes.length;
    x->ops->read(x->call, 0, on_read_inline, x);
}

/* THREAD_POOL: the completion hands the result to the waiting thread. */
static void on_read_pool(void *context, ssgi_bytes bytes, int32_t status) {
    exchange *x = context;
    pthread_mutex_lock(&x->lock);
    x->completed = 1;
    x->length = bytes.length;
    x->status = status;
    pthread_cond_signal(&x->ready);
    pthread_mutex_unlock(&x->lock);
}

static void *read_on_thread(void *context) {
    exchange *x = context;
    for (;;) {
        x->completed = 0;
        x->ops->read(x->call, 0, on_read_pool, x);
        pthread_mutex_lock(&x->lock);
        while (!x->completed) pthread_cond_wait(&x->ready, &x->lock);
        size_t length = x->length;
        int32_t status = x->status;
        pthread_mutex_unlock(&x->lock);
        if (status != SSGI_OK || length == 0) {
            conclude(x, status);
            return NULL;
        }
        x->received += length;
    }
}

static void handle(const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops, int pooled) {
    if (request->body_length == 0) {
        ssgi_header headers[] = {{text("Content-Type"), text("text/plain")}};
        ops->start_response(call, text("200 OK"), headers, 1, 0);
        ops->write(call, text("recorder\n"), NULL, NULL);
        ops->finish(call, SSGI_FINISH_OK, NULL, NULL);
        return;
    }
    exchange *x = calloc(1, sizeof *x);
    x->call = call;
    x->ops = ops;
    x->handle_thread = pthread_self();
    pthread_mutex_init(&x->lock, NULL);
    pthread_cond_init(&x->ready, NULL);
    ops->log_error(call, text("recorder: reading the body"));
    if (!pooled) {
        ops->read(call, 0, on_read_inline, x);
        return;
    }
    pthread_t thread;
    if (pthread_create(&thread, NULL, read_on_thread, x) != 0) {
        ops->finish(call, SSGI_FINISH_ERROR, cleanup, x);
        return;
    }
    pthread_detach(thread);
}

static void handle_inline(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    handle(request, call, ops, 0);
}

static void handle_pool(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    handle(request, call, ops, 1);
}

static const ssgi_server_ops *server_ops;

static int32_t app_startup(void *context, const ssgi_server_info *info, char *error, size_t capacity) {
    (void)context, (void)error, (void)capacity;
    server_ops = info->ops;
    server_ops->log_error(NULL, text("recorder: startup"));
    return 0;
}

static void app_shutdown(void *context) {
    (void)context;
    server_ops->log_error(NULL, text("recorder: shutdown"));
}

static const ssgi_app inline_descriptor = {
    .magic = SSGI_MAGIC,
    .abi_major = SSGI_ABI_MAJOR,
    .abi_minor = SSGI_ABI_MINOR,
    .struct_size = sizeof(ssgi_app),
    .name = "recorder-inline",
    .sdk_version = "",
    .compiler = "C",
    .execution = SSGI_EXECUTION_INLINE,
    .startup = app_startup,
    .handle = handle_inline,
    .shutdown = app_shutdown,
};

static const ssgi_app pool_descriptor = {
    .magic = SSGI_MAGIC,
    .abi_major = SSGI_ABI_MAJOR,
    .abi_minor = SSGI_ABI_MINOR,
    .struct_size = sizeof(ssgi_app),
    .name = "recorder-pool",
    .sdk_version = "",
    .compiler = "C",
    .execution = SSGI_EXECUTION_THREAD_POOL,
    .startup = app_startup,
    .handle = handle_pool,
    .shutdown = app_shutdown,
};

const ssgi_app *inline_app(void) { return &inline_descriptor; }
const ssgi_app *pool_app(void) { return &pool_descriptor; }

/*
 * An SSGI application in plain C that reports, in the server's log, what the operations
 * returned and what its reads were told: the view of an application written from the
 * specification alone. Two entry points run the same routes in the two execution styles:
 *
 *   inline_app       SSGI_EXECUTION_INLINE: everything on the I/O thread, driven by callbacks;
 *   thread_pool_app  SSGI_EXECUTION_THREAD_POOL: each request on a thread of its own, which
 *                    blocks on each read until its callback ran.
 *
 * Routes:
 *   /read[?max=N][&delay=MS][&id=I]
 *                             reads the body to its end with read(max_length N, default 0),
 *                             after waiting MS milliseconds (thread pool only), and answers
 *                             "read N bytes, largest piece M"; a failed read is logged as
 *                             "probe: read I failed with status S after N bytes" and the
 *                             request finishes with SSGI_FINISH_ERROR.
 *   /fail-silently            finishes with SSGI_FINISH_ERROR without logging anything.
 *   /finish-without-start     finishes OK without start_response; logs what finish returned.
 *   /replace-after-write      starts a response, writes a byte run, then calls start_response
 *                             again with error information; logs what it returned.
 *   /length-on-204            start_response("204 No Content") with Content-Length: 0; logs
 *                             what it returned.
 *   /log                      writes "probe: a line from the application" with log_error.
 *   anything else             "probe\n".
 *
 * startup logs "probe: server_software=..." with log_error(NULL, ...).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ssgi.h"

static ssgi_bytes text(const char *s) {
    ssgi_bytes b = {(const uint8_t *)s, strlen(s)};
    return b;
}

static int is_path(const ssgi_request *request, const char *path) {
    size_t length = strlen(path);
    return request->path_info.length == length && memcmp(request->path_info.data, path, length) == 0;
}

/* The value of `name=` in the query string, or `otherwise`. */
static long query_number(const ssgi_request *request, const char *name, long otherwise) {
    char query[256];
    size_t length = request->query_string.length < sizeof query - 1 ? request->query_string.length : sizeof query - 1;
    memcpy(query, request->query_string.data, length);
    query[length] = 0;
    size_t name_length = strlen(name);
    for (char *field = strtok(query, "&"); field != NULL; field = strtok(NULL, "&")) {
        if (strncmp(field, name, name_length) == 0 && field[name_length] == '=') return atol(field + name_length + 1);
    }
    return otherwise;
}

/* Writes one formatted line to the server's log. */
static void say(const ssgi_server_ops *ops, ssgi_call *call, const char *format, ...) {
    char line[160];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(line, sizeof line, format, arguments);
    va_end(arguments);
    ops->log_error(call, text(line));
}

static void respond(const ssgi_server_ops *ops, ssgi_call *call, const char *body) {
    ssgi_header headers[] = {{text("Content-Type"), text("text/plain")}};
    ops->start_response(call, text("200 OK"), headers, 1, 0);
    ops->write(call, text(body), NULL, NULL);
    ops->finish(call, SSGI_FINISH_OK, NULL, NULL);
}

/* The routes that need no body; returns 0 when the request is not one of them. */
static int answer_without_body(const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    ssgi_header plain[] = {{text("Content-Type"), text("text/plain")}};
    if (is_path(request, "/fail-silently")) {
        ops->finish(call, SSGI_FINISH_ERROR, NULL, NULL);
    } else if (is_path(request, "/finish-without-start")) {
        int32_t rc = ops->finish(call, SSGI_FINISH_OK, NULL, NULL);
        say(ops, NULL, "probe: finish without start_response returned %d", rc);
    } else if (is_path(request, "/replace-after-write")) {
        ops->start_response(call, text("200 OK"), plain, 1, 0);
        ops->write(call, text("partial"), NULL, NULL);
        int32_t rc = ops->start_response(call, text("500 Internal Server Error"), plain, 1, 1);
        say(ops, call, "probe: start_response with error information after a write returned %d", rc);
        ops->finish(call, SSGI_FINISH_ERROR, NULL, NULL);
    } else if (is_path(request, "/length-on-204")) {
        ssgi_header headers[] = {{text("Content-Length"), text("0")}};
        int32_t rc = ops->start_response(call, text("204 No Content"), headers, 1, 0);
        say(ops, call, "probe: start_response of a 204 with Content-Length returned %d", rc);
        ops->finish(call, rc == SSGI_OK ? SSGI_FINISH_OK : SSGI_FINISH_ERROR, NULL, NULL);
    } else if (is_path(request, "/log")) {
        ops->log_error(call, text("probe: a line from the application"));
        respond(ops, call, "logged\n");
    } else if (!is_path(request, "/read")) {
        respond(ops, call, "probe\n");
    } else {
        return 0;
    }
    return 1;
}

/* What one request reading its body keeps. */
typedef struct reader {
    ssgi_call *call;
    const ssgi_server_ops *ops;
    size_t max_length;
    long delay_ms;
    long id;
    size_t total;
    size_t largest;
    /* Inline: a completion that ran inside `read` must not recurse into the loop. */
    int in_call, completed;
    /* Thread pool: the completion hands its result over under the lock. */
    pthread_mutex_t lock;
    pthread_cond_t done;
    size_t length;
    int32_t status;
} reader;

static void release(void *context, int32_t status) {
    (void)status;
    reader *r = context;
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->done);
    free(r);
}

/* Ends the request once the body was read to its end (status OK) or failed. */
static void conclude(reader *r, int32_t status) {
    if (status != SSGI_OK) {
        say(r->ops, r->call, "probe: read %ld failed with status %d after %zu bytes", r->id, status, r->total);
        r->ops->finish(r->call, SSGI_FINISH_ERROR, release, r);
        return;
    }
    char body[96];
    snprintf(body, sizeof body, "read %zu bytes, largest piece %zu\n", r->total, r->largest);
    ssgi_header headers[] = {{text("Content-Type"), text("text/plain")}};
    r->ops->start_response(r->call, text("200 OK"), headers, 1, 0);
    r->ops->write(r->call, text(body), NULL, NULL);
    r->ops->finish(r->call, SSGI_FINISH_OK, release, r);
}

static void count(reader *r, size_t length) {
    r->total += length;
    if (length > r->largest) r->largest = length;
}

/* INLINE: the read loop, resumed by each completion. */
static void inline_read(reader *r);

static void inline_done(void *context, ssgi_bytes bytes, int32_t status) {
    reader *r = context;
    count(r, bytes.length);
    r->status = status;
    r->length = bytes.length;
    r->completed = 1;
    if (!r->in_call) inline_read(r);
}

static void inline_read(reader *r) {
    for (;;) {
        if (r->completed) {
            r->completed = 0;
            if (r->status != SSGI_OK || r->length == 0) {
                conclude(r, r->status);
                return;
            }
        }
        r->in_call = 1;
        int32_t rc = r->ops->read(r->call, r->max_length, inline_done, r);
        r->in_call = 0;
        if (rc != SSGI_OK) {
            conclude(r, rc);
            return;
        }
        if (!r->completed) return; /* inline_done resumes the loop */
    }
}

/* THREAD_POOL: a blocking read on the request's own thread. */
static void pool_done(void *context, ssgi_bytes bytes, int32_t status) {
    reader *r = context;
    pthread_mutex_lock(&r->lock);
    count(r, bytes.length);
    r->length = bytes.length;
    r->status = status;
    r->completed = 1;
    pthread_cond_signal(&r->done);
    pthread_mutex_unlock(&r->lock);
}

static void *pool_read(void *context) {
    reader *r = context;
    if (r->delay_ms > 0) {
        struct timespec pause = {r->delay_ms / 1000, (r->delay_ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
    for (;;) {
        pthread_mutex_lock(&r->lock);
        r->completed = 0;
        pthread_mutex_unlock(&r->lock);
        int32_t rc = r->ops->read(r->call, r->max_length, pool_done, r);
        if (rc != SSGI_OK) {
            conclude(r, rc);
            return NULL;
        }
        pthread_mutex_lock(&r->lock);
        while (!r->completed) pthread_cond_wait(&r->done, &r->lock);
        int32_t status = r->status;
        size_t length = r->length;
        pthread_mutex_unlock(&r->lock);
        if (status != SSGI_OK || length == 0) {
            conclude(r, status);
            return NULL;
        }
    }
}

static reader *new_reader(const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    reader *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->call = call;
    r->ops = ops;
    r->max_length = (size_t)query_number(request, "max", 0);
    r->delay_ms = query_number(request, "delay", 0);
    r->id = query_number(request, "id", 0);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->done, NULL);
    return r;
}

static void inline_handle(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    if (answer_without_body(request, call, ops)) return;
    reader *r = new_reader(request, call, ops);
    if (r == NULL) {
        ops->finish(call, SSGI_FINISH_ERROR, NULL, NULL);
        return;
    }
    inline_read(r);
}

/* The thread-pool application's request thread: the whole request runs here. */
typedef struct pool_request {
    const ssgi_request *request;
    ssgi_call *call;
    const ssgi_server_ops *ops;
} pool_request;

static void *pool_serve(void *context) {
    pool_request job = *(pool_request *)context;
    free(context);
    if (answer_without_body(job.request, job.call, job.ops)) return NULL;
    reader *r = new_reader(job.request, job.call, job.ops);
    if (r == NULL) {
        job.ops->finish(job.call, SSGI_FINISH_ERROR, NULL, NULL);
        return NULL;
    }
    return pool_read(r);
}

static void pool_handle(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    pool_request *job = malloc(sizeof *job);
    pthread_t thread;
    if (job == NULL) {
        ops->finish(call, SSGI_FINISH_ERROR, NULL, NULL);
        return;
    }
    *job = (pool_request){request, call, ops};
    if (pthread_create(&thread, NULL, pool_serve, job) != 0) {
        free(job);
        ops->finish(call, SSGI_FINISH_ERROR, NULL, NULL);
        return;
    }
    pthread_detach(thread);
}

static int32_t startup(void *context, const ssgi_server_info *info, char *error, size_t capacity) {
    (void)context;
    (void)error;
    (void)capacity;
    say(info->ops, NULL, "probe: server_software=%s", info->server_software);
    return 0;
}

#define DESCRIPTOR(NAME, EXECUTION, HANDLE)                                                                  \
    static const ssgi_app NAME##_descriptor = {                                                               \
        .magic = SSGI_MAGIC, .abi_major = SSGI_ABI_MAJOR, .abi_minor = SSGI_ABI_MINOR,                        \
        .struct_size = sizeof(ssgi_app), .name = "probe", .sdk_version = "", .compiler = "C",                \
        .execution = EXECUTION, .startup = startup, .handle = HANDLE};                                        \
    const ssgi_app *NAME(void) { return &NAME##_descriptor; }

DESCRIPTOR(inline_app, SSGI_EXECUTION_INLINE, inline_handle)
DESCRIPTOR(thread_pool_app, SSGI_EXECUTION_THREAD_POOL, pool_handle)

/*
 * ssgi.h — SSGI 1.1, the Swift Server Gateway Interface, as a C ABI.
 *
 * This header is the whole boundary between a server (such as swiftserve) and an
 * application loaded from a shared library. docs/SPEC.md states the rules; this
 * file states the types. Nothing here depends on Swift: an application may be
 * written in C, Rust, Zig or anything else that can export a C function.
 *
 * Memory and threads in one paragraph: every pointer the server hands to the
 * application stays valid until the application calls `finish` for that request,
 * unless its comment says otherwise; every pointer the application hands to the
 * server need only stay valid for the duration of the call it is passed to (the
 * server copies what it keeps). `handle` is called on a server I/O thread and must
 * not block; the operations in `ssgi_server_ops` may be called from any thread; the
 * server calls the application's callbacks on the connection's I/O thread, before the
 * operation returns only when the operation was called on that thread (SPEC.md §12).
 *
 * The constants below are members of anonymous enums, so their C type is `int`; the
 * fields and parameters that carry them have fixed widths, which bindings in other
 * languages give the constants: SSGI_FLAG_* and SSGI_EXECUTION_* are uint32_t, result
 * codes (SSGI_OK, SSGI_E_*) and SSGI_FINISH_* are int32_t (SPEC.md §21).
 */
#ifndef SSGI_H
#define SSGI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------- */
/* Versioning                                                                */
/* ------------------------------------------------------------------------- */

/** The first field of every descriptor: the ASCII bytes "SSGI" read as a big-endian number. */
#define SSGI_MAGIC 0x53534749u

/** The ABI major version. A server refuses a descriptor whose major version differs from its own. */
#define SSGI_ABI_MAJOR 1

/**
 * The ABI minor version. A minor bump only appends fields to the end of structs
 * (announced by their `struct_size`) and adds new constants; it never changes or
 * removes anything. A server refuses a descriptor whose minor version is greater
 * than its own.
 */
#define SSGI_ABI_MINOR 2

/**
 * Whether the struct at `pointer`, of type `type`, has the field `field`: whether the field lies
 * entirely within the `struct_size` its allocator set (SPEC.md §3.4). An application built for an
 * earlier minor version than the header's, or a server reading a descriptor, checks this before
 * it reads a field added after SSGI 1.0:
 * `if (SSGI_HAS_FIELD(info, ssgi_server_info, arguments)) ...`.
 */
#define SSGI_HAS_FIELD(pointer, type, field) \
    (offsetof(type, field) + sizeof(((type *)0)->field) <= (pointer)->struct_size)

/* ------------------------------------------------------------------------- */
/* Plain data                                                                */
/* ------------------------------------------------------------------------- */

/** A run of bytes. Not NUL-terminated. `data` may be NULL when `length` is 0. */
typedef struct ssgi_bytes {
    const uint8_t *data;
    size_t length;
} ssgi_bytes;

/** One header field: the name as the client or application spelled it, and its value. */
typedef struct ssgi_header {
    ssgi_bytes name;
    ssgi_bytes value;
} ssgi_header;

/** Bits of `ssgi_request.flags`, the `ssgi.multithread`, `ssgi.multiprocess` and `ssgi.run_once` keys: uint32_t. */
enum {
    /** Another thread of this process may run the application's code while this request runs:
        several I/O threads call `handle`, or the application's execution is not INLINE. */
    SSGI_FLAG_MULTITHREAD = 1u << 0,
    /** Another process may serve the same application at the same time. */
    SSGI_FLAG_MULTIPROCESS = 1u << 1,
    /** The application will be called once in the life of this process. */
    SSGI_FLAG_RUN_ONCE = 1u << 2,
};

/**
 * The request, as the environ's raw material. Every `ssgi_bytes` is a CGI value
 * already computed by the server (SPEC.md, "The environ"); an absent value has
 * length 0. The headers are as received, in order, minus the ones the server
 * drops (names containing "_", SPEC.md), and including Content-Type and
 * Content-Length. All of it stays valid until `finish` is called for the request.
 */
typedef struct ssgi_request {
    /** sizeof(ssgi_request) as the server compiled it; fields past it do not exist. */
    size_t struct_size;
    ssgi_bytes request_method;  /* REQUEST_METHOD, e.g. "GET" */
    ssgi_bytes script_name;     /* SCRIPT_NAME, "" when the app is mounted at the root */
    ssgi_bytes path_info;       /* PATH_INFO, percent-decoded */
    ssgi_bytes query_string;    /* QUERY_STRING, as sent, without "?" */
    ssgi_bytes content_type;    /* CONTENT_TYPE */
    ssgi_bytes content_length;  /* CONTENT_LENGTH, decimal, "" when the length is unknown */
    ssgi_bytes server_name;     /* SERVER_NAME */
    ssgi_bytes server_port;     /* SERVER_PORT */
    ssgi_bytes server_protocol; /* SERVER_PROTOCOL, "HTTP/1.0" or "HTTP/1.1" */
    ssgi_bytes remote_addr;     /* REMOTE_ADDR */
    ssgi_bytes remote_port;     /* REMOTE_PORT */
    ssgi_bytes url_scheme;      /* ssgi.url_scheme, "http" or "https" */
    ssgi_bytes request_uri;     /* the request target as sent (not a CGI key; for logs and proxies) */
    const ssgi_header *headers;
    size_t header_count;
    /** The body length when known from Content-Length, or -1 when the body is chunked. 0: no body. */
    int64_t body_length;
    /** SSGI_FLAG_* bits. */
    uint32_t flags;
    /* Since 1.2: read after SSGI_HAS_FIELD(request, ssgi_request, tls_client_subject). */
    /** SSL_CLIENT_S_DN: the subject of the client's verified TLS certificate as RFC 4514 text,
        the last RDN first ("CN=alice,O=Example"); "" without one. */
    ssgi_bytes tls_client_subject;
} ssgi_request;

/** Result codes of server operations and callbacks: int32_t. Zero is success; everything else is negative. */
enum {
    SSGI_OK = 0,
    /** start_response was already called, and this call did not carry error information. */
    SSGI_E_ALREADY_STARTED = -1,
    /** start_response with error information came after the head was committed: after the first
        non-empty write, even if the server has not sent any of it yet. */
    SSGI_E_HEADERS_SENT = -2,
    /** The status is not "NNN Reason": three digits 100-999, one space, and a reason (possibly
        empty) without control characters other than tab. */
    SSGI_E_INVALID_STATUS = -3,
    /** A header name is not an RFC 9110 token, or a value holds a control character other than tab,
        or a Content-Length is not a decimal number, differs from another, or is on a 1xx or 204. */
    SSGI_E_INVALID_HEADER = -4,
    /** A hop-by-hop header (Connection, Keep-Alive, Transfer-Encoding, ...) was given. */
    SSGI_E_HOP_BY_HOP = -5,
    /** write came before start_response; or finish with SSGI_FINISH_OK came without a started
        response, which still ends the request (the client gets a 500). */
    SSGI_E_NOT_STARTED = -6,
    /** The request was already finished; the call handle is no longer valid. */
    SSGI_E_FINISHED = -7,
    /** The connection is gone (reset, a write failed, or the server closed it): stop producing the
        response and call finish. */
    SSGI_E_DISCONNECTED = -8,
    /** The request body did not arrive intact: malformed chunking or trailers, ended by the
        client's close or half-close before its last byte, or slower than the server allows. */
    SSGI_E_BAD_BODY = -9,
    /** The application wrote more bytes than the Content-Length it declared. */
    SSGI_E_TOO_MUCH_BODY = -10,
};

/** The outcome the application reports to `finish`: int32_t. */
enum {
    /** The response is complete. */
    SSGI_FINISH_OK = 0,
    /** The application failed: the server answers 500 if nothing was sent yet, else closes the connection. */
    SSGI_FINISH_ERROR = 1,
};

/* ------------------------------------------------------------------------- */
/* The server's operations                                                   */
/* ------------------------------------------------------------------------- */

/** The server's per-request handle. Opaque; valid from `handle` until `finish` returns. */
typedef struct ssgi_call ssgi_call;

/**
 * Called when bytes handed to `write` have been accepted and more may follow.
 * `status` is SSGI_OK, or SSGI_E_DISCONNECTED when the client went away first.
 * Called exactly once per `write` that passed a non-NULL callback, before the
 * request's cleanup, on the connection's I/O thread, possibly before `write`
 * returns.
 */
typedef void (*ssgi_write_done)(void *context, int32_t status);

/**
 * Delivers request body bytes in answer to `read`. `bytes` is valid only during
 * the callback. A call with `bytes.length == 0` and `status == SSGI_OK` is the
 * end of the body. Otherwise `status` is negative and `bytes` empty:
 * SSGI_E_BAD_BODY (the body did not arrive intact; later reads say so again),
 * SSGI_E_DISCONNECTED (the connection is gone before the body's end), or
 * SSGI_E_FINISHED (`finish` was called while the read was outstanding). The
 * bytes that arrived before a fault are delivered first: which status a read
 * gets never depends on when or from which thread it was called. Called
 * exactly once per `read`, on the connection's I/O thread, possibly before
 * `read` returns.
 */
typedef void (*ssgi_read_done)(void *context, ssgi_bytes bytes, int32_t status);

/**
 * Called once the server is done with the request: the response was delivered,
 * or abandoned because the client went away or the application failed. `status`
 * is SSGI_OK when the whole response reached the socket, else negative
 * (swiftserve: SSGI_E_DISCONNECTED; treat any negative value as "not
 * delivered"). This is where the application releases what it kept for the
 * request (PEP 3333's close()).
 */
typedef void (*ssgi_cleanup)(void *context, int32_t status);

/**
 * The server's operations, passed to every `handle` call; the table lives as long as the
 * process. Every operation of SSGI 1.0 is non-NULL; one appended by a later minor version
 * exists only when `struct_size` covers it.
 */
typedef struct ssgi_server_ops {
    /** sizeof(ssgi_server_ops) as the server compiled it. */
    size_t struct_size;

    /**
     * Begins the response: `status` is "NNN Reason". The server copies status and
     * headers. Returns SSGI_OK, or a negative code and then nothing changed:
     * SSGI_E_INVALID_STATUS, SSGI_E_INVALID_HEADER, SSGI_E_HOP_BY_HOP (the
     * arguments break a rule), SSGI_E_ALREADY_STARTED (a second call without
     * error information), SSGI_E_HEADERS_SENT (with error information, after the
     * head was committed) or SSGI_E_FINISHED. May be called again only with
     * `has_error_info` set, and only before the head is committed: before the
     * first non-empty `write` (or `finish`), whether or not the server has sent
     * anything yet; the new status and headers then replace the old.
     */
    int32_t (*start_response)(
        ssgi_call *call, ssgi_bytes status, const ssgi_header *headers, size_t header_count,
        int32_t has_error_info);

    /**
     * Sends body bytes; the server copies them before returning. `done` (may be
     * NULL) is called when the server can take more: an application streaming
     * a large body waits for it before writing again, which is how back-pressure
     * reaches it. Returns SSGI_OK, or a negative code and then `done` is not
     * called: SSGI_E_NOT_STARTED, SSGI_E_TOO_MUCH_BODY (past the declared
     * Content-Length; none of the bytes is sent), SSGI_E_DISCONNECTED or
     * SSGI_E_FINISHED.
     */
    int32_t (*write)(ssgi_call *call, ssgi_bytes bytes, ssgi_write_done done, void *done_context);

    /**
     * Asks for up to `max_length` bytes of the request body; 0 lets the server
     * choose, and then a piece is at most 65536 bytes. `done` must not be NULL.
     * Returns SSGI_OK, and then `done` is called exactly once with the bytes or a
     * failure (see ssgi_read_done), or SSGI_E_FINISHED, and then it is not. One
     * read at a time per request. On the first read of a request that sent
     * "Expect: 100-continue" the server sends "100 Continue".
     */
    int32_t (*read)(ssgi_call *call, size_t max_length, ssgi_read_done done, void *done_context);

    /**
     * Ends the request: `outcome` is SSGI_FINISH_OK or SSGI_FINISH_ERROR.
     * `cleanup` (may be NULL) is called once when the server is done with the
     * request. Returns SSGI_OK; or SSGI_E_NOT_STARTED for SSGI_FINISH_OK without
     * a started response, which still ends the request, with a 500; or
     * SSGI_E_FINISHED when the server can tell the request was already finished,
     * the only result that ends nothing. After `finish` the call handle and the
     * request are invalid. Exactly one `finish` per `handle`.
     */
    int32_t (*finish)(ssgi_call *call, int32_t outcome, ssgi_cleanup cleanup, void *cleanup_context);

    /**
     * Writes one message to the server's error log (`ssgi.errors`), at error
     * level; with a call, the server tags it with the request. `call` may be NULL
     * for messages outside a request (startup, background work).
     */
    void (*log_error)(ssgi_call *call, ssgi_bytes message);
} ssgi_server_ops;

/* ------------------------------------------------------------------------- */
/* The application's descriptor                                              */
/* ------------------------------------------------------------------------- */

/** How the application runs its code (`ssgi_app.execution`: uint32_t); the server uses it for `ssgi.multithread`. */
enum {
    /** On the I/O thread that called `handle`: non-blocking code only. */
    SSGI_EXECUTION_INLINE = 0,
    /** Code that never blocks, on Swift concurrency or threads of the application's own (its
        event loops), and possibly inside `handle` and the callbacks. */
    SSGI_EXECUTION_CONCURRENT = 1,
    /** On a pool of threads the application owns, where its code may block. */
    SSGI_EXECUTION_THREAD_POOL = 2,
};

/** What the server tells the application at startup. */
typedef struct ssgi_server_info {
    size_t struct_size;
    /** The server's name and version, e.g. "swiftserve/0.1.0". NUL-terminated; valid during startup. */
    const char *server_software;
    uint16_t abi_major;
    uint16_t abi_minor;
    /** SSGI_FLAG_MULTITHREAD, SSGI_FLAG_MULTIPROCESS and SSGI_FLAG_RUN_ONCE as they will be for requests. */
    uint32_t flags;
    /** The operations; the same table `handle` receives. */
    const ssgi_server_ops *ops;

    /* Since SSGI 1.1: present when `struct_size` covers them (SSGI_HAS_FIELD). */

    /** The number of entries in `arguments`, not counting the NULL after them; at least 1. */
    size_t argument_count;
    /**
     * The application's arguments, argv-style (SPEC.md §4.1): `arguments[0]` is the application
     * reference `PATH:CALLABLE`, then the words that followed `--` on the server's command line,
     * in order; `arguments[argument_count]` is NULL. Each is NUL-terminated. Valid during startup.
     */
    const char *const *arguments;
} ssgi_server_info;

/**
 * What the entry point returns. It lives as long as the process: the server
 * never frees it and never unloads the library.
 */
typedef struct ssgi_app {
    /** SSGI_MAGIC. */
    uint32_t magic;
    /** SSGI_ABI_MAJOR and SSGI_ABI_MINOR as the application was compiled. */
    uint16_t abi_major;
    uint16_t abi_minor;
    /** sizeof(ssgi_app) as the application compiled it. */
    size_t struct_size;
    /** The application's name, for logs. NUL-terminated. */
    const char *name;
    /** The SDK that built the descriptor and its version, e.g. "SSGI-Swift/1.0.0", or "" when none. */
    const char *sdk_version;
    /** The compiler that built the application, e.g. "Swift 6.3", or "". */
    const char *compiler;
    /** SSGI_EXECUTION_*. */
    uint32_t execution;
    /** Passed back as the first argument of every function below; the application's own state. */
    void *context;

    /**
     * Optional (may be NULL). Called once, before the first request, on a
     * thread where blocking is allowed. Returns 0 on success. On failure returns
     * non-zero and writes a NUL-terminated reason of at most `error_capacity`
     * bytes (including the NUL) into `error`; the server then refuses to serve.
     */
    int32_t (*startup)(void *context, const ssgi_server_info *info, char *error, size_t error_capacity);

    /**
     * Required. Called once per request on a server I/O thread. Must not block;
     * must lead to exactly one `ops->finish(call, ...)`, from any thread, now or
     * later.
     */
    void (*handle)(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops);

    /**
     * Optional (may be NULL). Called once when the server stops, after the last
     * request finished or was abandoned, on a thread where blocking is allowed.
     */
    void (*shutdown)(void *context);
} ssgi_app;

/**
 * The signature of an entry point: `swiftserve lib.so:NAME` resolves the symbol
 * NAME and calls it once, with no arguments. It returns the descriptor, or NULL
 * when the application cannot be created.
 */
typedef const ssgi_app *(*ssgi_entry_point)(void);

#ifdef __cplusplus
}
#endif

#endif /* SSGI_H */

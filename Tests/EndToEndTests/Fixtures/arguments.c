/*
 * Application arguments (SSGI 1.1, SPEC.md §4.1).
 *
 * `app`: an SSGI 1.1 application that keeps the arguments its startup received and answers
 * every request with them, one per line, as the server gave them.
 *
 * `legacy`: an SSGI 1.0 application, as one built before 1.1 is: it declares minor version 0
 * and reads only the fields of 1.0, answering "legacy: SERVER_SOFTWARE ABI MAJOR.MINOR".
 */
#include <stdio.h>
#include <string.h>

#include "ssgi.h"

static char received[8192];
static size_t received_length;

static void answer(ssgi_call *call, const ssgi_server_ops *ops) {
    ssgi_header headers[] = {{{(const uint8_t *)"Content-Type", 12}, {(const uint8_t *)"text/plain", 10}}};
    ops->start_response(call, (ssgi_bytes){(const uint8_t *)"200 OK", 6}, headers, 1, 0);
    ops->write(call, (ssgi_bytes){(const uint8_t *)received, received_length}, NULL, NULL);
    ops->finish(call, SSGI_FINISH_OK, NULL, NULL);
}

static void handle(void *context, const ssgi_request *request, ssgi_call *call, const ssgi_server_ops *ops) {
    (void)context;
    (void)request;
    answer(call, ops);
}

static void append(const char *text) {
    size_t length = strlen(text);
    if (received_length + length + 1 > sizeof received) return;
    memcpy(received + received_length, text, length);
    received_length += length;
    received[received_length++] = '\n';
}

static int32_t startup(void *context, const ssgi_server_info *info, char *error, size_t capacity) {
    (void)context;
    if (!SSGI_HAS_FIELD(info, ssgi_server_info, arguments)) {
        snprintf(error, capacity, "the server gives no arguments: its ssgi_server_info has %zu bytes",
                 info->struct_size);
        return 1;
    }
    if (info->argument_count < 1 || info->arguments[info->argument_count] != NULL) {
        snprintf(error, capacity, "arguments are not argv-style (%zu of them)", info->argument_count);
        return 1;
    }
    for (size_t index = 0; index < info->argument_count; index++) append(info->arguments[index]);
    return 0;
}

static const ssgi_app descriptor = {
    .magic = SSGI_MAGIC,
    .abi_major = SSGI_ABI_MAJOR,
    .abi_minor = SSGI_ABI_MINOR,
    .struct_size = sizeof(ssgi_app),
    .name = "arguments",
    .sdk_version = "",
    .compiler = "C",
    .execution = SSGI_EXECUTION_INLINE,
    .startup = startup,
    .handle = handle,
};

const ssgi_app *app(void) { return &descriptor; }

static int32_t legacy_startup(void *context, const ssgi_server_info *info, char *error, size_t capacity) {
    (void)context;
    (void)error;
    (void)capacity;
    received_length = (size_t)snprintf(received, sizeof received, "legacy: %s ABI %u.%u\n", info->server_software,
                                       (unsigned)info->abi_major, (unsigned)info->abi_minor);
    return 0;
}

static const ssgi_app legacy_descriptor = {
    .magic = SSGI_MAGIC,
    .abi_major = 1,
    .abi_minor = 0,
    .struct_size = sizeof(ssgi_app),
    .name = "legacy",
    .sdk_version = "",
    .compiler = "C",
    .execution = SSGI_EXECUTION_INLINE,
    .startup = legacy_startup,
    .handle = handle,
};

const ssgi_app *legacy(void) { return &legacy_descriptor; }

/*
 * The loader of a server that knows SSGI 1.0 only, as every server released before 1.1 is:
 *
 *   server_1_0 PATH:CALLABLE
 *
 * It opens the library and checks the descriptor as SPEC.md §2.2 and §3.2 say, with 1.0 as its
 * own version, printing the refusal in swiftserve's words and exiting 4 when a check fails.
 * When the descriptor passes, it runs `startup` with the 1.0 ssgi_server_info (no arguments:
 * its struct_size ends before them) and prints "started NAME", or the startup's error.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ssgi.h"

enum { SERVER_ABI_MAJOR = 1, SERVER_ABI_MINOR = 0 };

static int refuse(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    fputs("server_1_0: error: ", stderr);
    vfprintf(stderr, format, arguments);
    fputc('\n', stderr);
    va_end(arguments);
    return 4;
}

int main(int argc, char **argv) {
    if (argc != 2) return refuse("usage: server_1_0 PATH:CALLABLE");
    char path[4096];
    snprintf(path, sizeof path, "%s", argv[1]);
    char *colon = strrchr(path, ':');
    const char *callable = "app";
    if (colon != NULL) {
        *colon = '\0';
        callable = colon + 1;
    }
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return refuse("%s", dlerror());
    ssgi_entry_point entry = (ssgi_entry_point)dlsym(library, callable);
    if (entry == NULL) return refuse("no such entry point");
    const ssgi_app *app = entry();
    if (app == NULL) return refuse("the entry point returned NULL");
    if (app->magic != SSGI_MAGIC) return refuse("not an SSGI descriptor");
    if (app->abi_major != SERVER_ABI_MAJOR || app->abi_minor > SERVER_ABI_MINOR) {
        return refuse("'%s' is built for SSGI ABI %u.%u, but this server speaks SSGI ABI %d.%d: rebuild the "
                      "application against SSGI %d.x with minor version at most %d",
                      path, (unsigned)app->abi_major, (unsigned)app->abi_minor, SERVER_ABI_MAJOR, SERVER_ABI_MINOR,
                      SERVER_ABI_MAJOR, SERVER_ABI_MINOR);
    }
    if (app->struct_size < sizeof(ssgi_app) || app->handle == NULL) return refuse("malformed descriptor");
    if (app->startup != NULL) {
        /* SSGI 1.0's ssgi_server_info: it ends where 1.1 added the arguments. */
        ssgi_server_info info = {
            .struct_size = offsetof(ssgi_server_info, argument_count),
            .server_software = "server_1_0",
            .abi_major = SERVER_ABI_MAJOR,
            .abi_minor = SERVER_ABI_MINOR,
        };
        char error[1024] = "";
        if (app->startup(app->context, &info, error, sizeof error) != 0) {
            return refuse("application '%s' failed to start: %s", app->name, error);
        }
    }
    printf("started %s\n", app->name);
    return 0;
}

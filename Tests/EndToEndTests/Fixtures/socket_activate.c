/*
 * Starts a command the way systemd socket activation does: binds a TCP socket on
 * 127.0.0.1 (a port the kernel picks), passes it as descriptor 3 with LISTEN_FDS
 * and LISTEN_PID naming this process, and becomes the command (exec keeps the
 * process id, so LISTEN_PID stays right).
 *
 *   socket_activate [-n COUNT] COMMAND [ARGUMENT...]
 *
 * -n sets LISTEN_FDS to COUNT instead of 1, to pass fewer sockets than it says.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *count = "1";
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        count = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: socket_activate [-n COUNT] COMMAND [ARGUMENT...]\n");
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0) {
        perror("socket_activate: bind");
        return 1;
    }
    if (listener != 3) {
        dup2(listener, 3);
        close(listener);
    }
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("LISTEN_FDS", count, 1);
    setenv("LISTEN_PID", pid, 1);
    execv(argv[first], argv + first);
    perror("socket_activate: exec");
    return 127;
}

/*
 * echo_server: the native ceiling for the comparison. A minimal single-threaded epoll echo loop,
 * written to do what the Java selector server does and nothing more, so that the gap between the two
 * is the cost of the JVM and of java.nio, not of a different design.
 *
 *   echo_server [--host H] [--port P] [--buffer-size BYTES]
 *
 * Behaviour, as in the selector server:
 *  - level-triggered epoll; one read buffer shared by every connection (BYTES, default 8192);
 *  - hot path: read into the shared buffer and write it straight back;
 *  - when the socket cannot take all of it, the rest is kept per connection and the connection waits
 *    for EPOLLOUT alone: it stops reading, so a client that does not read is held at one buffer;
 *  - end-of-stream is only read once nothing is pending, so a half-close gets every byte back;
 *  - TCP_NODELAY on accepted sockets, backlog 1024;
 *  - accept failing with EMFILE/ENFILE pauses accepting instead of spinning (the pending connection
 *    stays in the backlog, so an immediate retry would fail immediately again);
 *  - prints exactly "listening on HOST:PORT" once accepting; exits 0 on SIGTERM or SIGINT.
 *
 * Build: gcc -O2 -Wall -Wextra -o echo_server native/echo_server.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define BACKLOG 1024
#define MAX_EVENTS 256
#define ACCEPT_PAUSE_MS 100

struct conn {
    int fd;
    char *pending;      /* bytes read but not yet written; allocated the first time the socket pushes back */
    size_t pending_off; /* first unwritten byte */
    size_t pending_len; /* end of the pending bytes */
};

/* Markers for the two descriptors that are not connections. */
static char listener_tag, signal_tag;

static char *read_buf;
static size_t buf_size = 8192;

static void usage(FILE *out) {
    fprintf(out, "Usage: echo_server [--host H] [--port P] [--buffer-size BYTES]\n"
                 "Single-threaded epoll echo server, the native ceiling for the comparison.\n"
                 "  --host H              address to listen on (default 127.0.0.1)\n"
                 "  --port P              TCP port, 0-65535; 0 takes a free one (default 7007)\n"
                 "  --buffer-size BYTES   bytes per read, 64-16777216 (default 8192)\n"
                 "Prints 'listening on HOST:PORT' once accepting; exits 0 on SIGTERM or SIGINT.\n");
}

static void die_usage(const char *msg, const char *arg) {
    fprintf(stderr, "echo_server: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    usage(stderr);
    exit(2);
}

static long parse_long(const char *s, long lo, long hi, const char *name) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "echo_server: %s must be an integer between %ld and %ld, got '%s'\n", name, lo, hi, s);
        exit(2);
    }
    return v;
}

/* More connections than the default soft limit of 1024 need the hard limit. */
static void raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void close_conn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->pending);
    free(c);
}

static int set_interest(int ep, struct conn *c, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Rare path: the socket's send buffer is full. Keep the rest and wait for EPOLLOUT instead of reading. */
static int hold_back(int ep, struct conn *c, const char *rest, size_t len) {
    if (c->pending == NULL && (c->pending = malloc(buf_size)) == NULL) return -1;
    memcpy(c->pending, rest, len);
    c->pending_off = 0;
    c->pending_len = len;
    return set_interest(ep, c, EPOLLOUT);
}

/* Returns 0 to keep the connection, -1 to close it. */
static int read_and_echo(int ep, struct conn *c) {
    ssize_t n = read(c->fd, read_buf, buf_size);
    if (n == 0) return -1;
    if (n < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    ssize_t w = write(c->fd, read_buf, (size_t)n);
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR) return -1;
        w = 0;
    }
    if (w < n) return hold_back(ep, c, read_buf + w, (size_t)(n - w));
    return 0;
}

static int flush_pending(int ep, struct conn *c) {
    ssize_t w = write(c->fd, c->pending + c->pending_off, c->pending_len - c->pending_off);
    if (w < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    c->pending_off += (size_t)w;
    if (c->pending_off == c->pending_len) return set_interest(ep, c, EPOLLIN);
    return 0;
}

/* Returns 1 when accepting should pause because the process or system is out of descriptors. */
static int accept_all(int ep, int lfd) {
    for (int i = 0; i < 1024; i++) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                fprintf(stderr, "echo_server: accept failed, pausing %d ms: %s\n", ACCEPT_PAUSE_MS, strerror(errno));
                return 1;
            }
            return 0; /* EAGAIN, or the peer went away before we took it (ECONNABORTED) */
        }
        int one = 1;
        struct conn *c = calloc(1, sizeof *c);
        if (c == NULL || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
            free(c);
            close(fd);
            continue;
        }
        c->fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            close(fd);
            free(c);
        }
    }
    return 0;
}

static int listen_on(const char *host, const char *port, char *shown, size_t shown_len) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "echo_server: cannot listen on %s:%s: %s\n", host, port, gai_strerror(rc));
        exit(1);
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
            || bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, BACKLOG) < 0) {
        const char *why = errno == EADDRINUSE ? "is already in use" : strerror(errno);
        if (strcmp(port, "0") != 0)
            fprintf(stderr, "echo_server: cannot listen on %s:%s: port %s %s\n", host, port, port, why);
        else
            fprintf(stderr, "echo_server: cannot listen on %s:%s: %s\n", host, port, why);
        exit(1);
    }
    freeaddrinfo(res);

    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    char ip[INET6_ADDRSTRLEN];
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
        snprintf(shown, shown_len, "[%s]:%d", ip, ntohs(a->sin6_port));
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
        snprintf(shown, shown_len, "%s:%d", ip, ntohs(a->sin_port));
    }
    return fd;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *port = "7007";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (i + 1 >= argc) die_usage("missing value or unknown option", argv[i]);
        if (strcmp(argv[i], "--host") == 0) host = argv[++i];
        else if (strcmp(argv[i], "--port") == 0) { port = argv[++i]; parse_long(port, 0, 65535, "--port"); }
        else if (strcmp(argv[i], "--buffer-size") == 0) buf_size = (size_t)parse_long(argv[++i], 64, 16 << 20, "--buffer-size");
        else die_usage("unknown option", argv[i]);
    }
    signal(SIGPIPE, SIG_IGN); /* a write to a reset peer must fail with EPIPE, not kill the server */
    raise_fd_limit();
    if ((read_buf = malloc(buf_size)) == NULL) { perror("echo_server: malloc"); return 1; }

    /* Signals arrive as readable events on a signalfd, so the loop never races a flag. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

    char shown[INET6_ADDRSTRLEN + 16];
    int lfd = listen_on(host, port, shown, sizeof shown);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &listener_tag};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    ev.data.ptr = &signal_tag;
    epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);

    printf("listening on %s\n", shown);
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    int accept_paused = 0;
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, accept_paused ? ACCEPT_PAUSE_MS : -1);
        if (n < 0 && errno != EINTR) { perror("echo_server: epoll_wait"); return 1; }
        if (accept_paused) {
            accept_paused = 0;
            ev.events = EPOLLIN;
            ev.data.ptr = &listener_tag;
            epoll_ctl(ep, EPOLL_CTL_MOD, lfd, &ev);
        }
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &signal_tag) {
                /* Exiting closes every descriptor; the kernel sends each peer its FIN. */
                close(lfd);
                return 0;
            }
            if (tag == &listener_tag) {
                if (accept_all(ep, lfd)) {
                    accept_paused = 1;
                    ev.events = 0;
                    ev.data.ptr = &listener_tag;
                    epoll_ctl(ep, EPOLL_CTL_MOD, lfd, &ev);
                }
                continue;
            }
            struct conn *c = tag;
            uint32_t e = events[i].events;
            int rc;
            if (c->pending != NULL && c->pending_off < c->pending_len) rc = (e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) ? flush_pending(ep, c) : 0;
            else rc = read_and_echo(ep, c);
            if (rc < 0) close_conn(ep, c);
        }
    }
}

/*
 * echo_server: the native ceiling for the comparison. A minimal single-threaded epoll echo loop,
 * written to do what the Java selector server does and nothing more, so that the gap between the two
 * is the cost of the JVM and of java.nio, not of a different design.
 *
 *   echo_server [--host H] [--port P] [--buffer-size BYTES]
 *               [--request-size BYTES [--work none|cpu:D] [--cpu-iterations N]]
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
 * With --request-size above 0 the stream is fixed-size requests, as in the Java servers
 * (common/.../work/RequestWork.java): the complete requests of each read are handled in order, then
 * echoed unchanged; the incomplete rest waits per connection until the next read completes it. The
 * only work is cpu: the same FNV-1a hash as CpuHash.java, the same iteration count (--cpu-iterations,
 * or calibrated as Calibration.java does), folded into the same per-connection checksum, and the same
 * line on stderr at shutdown, "work SPEC: N requests handled, checksum 0xHEX", so that a test can set
 * the C result beside the Java one. A wait: spec is refused (exit 2): waits are not implemented here.
 *
 * Build: gcc -O2 -Wall -Wextra -o echo_server native/echo_server.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <time.h>
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
    struct requests *requests; /* with --request-size only; one pointer keeps an idle connection at 48 B */
};

/* A connection's requests: the incomplete tail of the last read and the tally of those handled. */
struct requests {
    struct requests *prev, *next; /* every open connection's, for the tally at shutdown */
    char *tail;                   /* request_size bytes, allocated when a read first leaves a tail */
    size_t tail_len;
    uint64_t checksum;            /* checksum * 31 + hash, per request in order, as RequestWork.Connection */
    uint64_t handled;
};

#define FNV_OFFSET_BASIS 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MAX_WORK_NANOS 10000000000LL /* WorkSpec.MAX: 10 s */
#define CALIBRATION_TRIALS 7
#define CALIBRATION_ITERATIONS 2000000ULL

static size_t request_size;      /* 0: a byte stream, echoed as it comes */
static char work_spec[64] = "none";
static uint64_t cpu_iterations;  /* per request; 0 for none */
static struct requests open_requests = {.prev = &open_requests, .next = &open_requests};
static uint64_t closed_handled, closed_checksum;

/* Markers for the two descriptors that are not connections. */
static char listener_tag, signal_tag;

static char *read_buf;
static size_t buf_size = 8192;
static size_t read_cap; /* read_buf's size: buf_size, or a request when that is larger */

static void usage(FILE *out) {
    fprintf(out, "Usage: echo_server [--host H] [--port P] [--buffer-size BYTES]\n"
                 "                   [--request-size BYTES [--work none|cpu:D] [--cpu-iterations N]]\n"
                 "Single-threaded epoll echo server, the native ceiling for the comparison.\n"
                 "  --host H              address to listen on (default 127.0.0.1)\n"
                 "  --port P              TCP port, 0-65535; 0 takes a free one (default 7007)\n"
                 "  --buffer-size BYTES   bytes per read, 64-16777216 (default 8192)\n"
                 "  --request-size BYTES  0: echo the stream as it comes (default); 1-16777216: the stream is\n"
                 "                        requests of this size, each handled once complete, then echoed\n"
                 "  --work SPEC           none (default) or cpu:D, D a whole number and us, ms or s, at most 10s:\n"
                 "                        the FNV-1a hash of the Java servers' CpuHash over each request;\n"
                 "                        wait: is not applicable here (exit 2). Needs --request-size\n"
                 "  --cpu-iterations N    hash iterations per request, instead of calibrating at start-up\n"
                 "Memory: one shared read buffer of the larger of --buffer-size and --request-size; per\n"
                 "connection, while its client does not read, at most that much unsent, and with requests\n"
                 "at most one incomplete request.\n"
                 "Prints 'listening on HOST:PORT' once accepting; exits 0 on SIGTERM or SIGINT, and with\n"
                 "--request-size prints 'work SPEC: N requests handled, checksum 0xHEX' on stderr first.\n"
                 "Exit codes: 0 stopped by a signal; 1 cannot listen; 2 bad options.\n");
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

/* CpuHash.hash: 64-bit FNV-1a over the request's bytes, taken cyclically, one byte per iteration. */
static uint64_t cpu_hash(const unsigned char *request, size_t length, uint64_t iterations) {
    uint64_t h = FNV_OFFSET_BASIS;
    uint64_t full_passes = iterations / length;
    size_t rest = (size_t)(iterations % length);
    for (uint64_t pass = 0; pass < full_passes; pass++)
        for (size_t i = 0; i < length; i++) h = (h ^ request[i]) * FNV_PRIME;
    for (size_t i = 0; i < rest; i++) h = (h ^ request[i]) * FNV_PRIME;
    return h;
}

static int64_t now_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Calibration.java: the fastest of several timed runs over a 64-byte request, since a slower run is
 * one that was interrupted, not one that did more work. */
static uint64_t calibrate(int64_t cpu_nanos) {
    unsigned char request[64];
    for (int i = 0; i < 64; i++) request[i] = (unsigned char)i;
    volatile uint64_t sink = cpu_hash(request, 64, CALIBRATION_ITERATIONS / 10);
    int64_t best = INT64_MAX;
    for (int t = 0; t < CALIBRATION_TRIALS; t++) {
        int64_t start = now_nanos();
        sink += cpu_hash(request, 64, CALIBRATION_ITERATIONS);
        int64_t took = now_nanos() - start;
        if (took < best) best = took;
    }
    double nanos_per_iteration = (best > 0 ? best : 1) / (double)CALIBRATION_ITERATIONS;
    uint64_t n = (uint64_t)(cpu_nanos / nanos_per_iteration + 0.5);
    return n > 0 ? n : 1;
}

/* Durations.java: a whole number (at most 9 digits) and us, ms or s; -1 when it is not one. */
static int64_t parse_duration(const char *s) {
    const char *p = s;
    int64_t amount = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 10) { amount = amount * 10 + (*p++ - '0'); digits++; }
    if (digits == 0 || digits > 9) return -1;
    if (strcmp(p, "us") == 0) return amount * 1000;
    if (strcmp(p, "ms") == 0) return amount * 1000000;
    if (strcmp(p, "s") == 0) return amount * 1000000000;
    return -1;
}

/* Durations.format: the shortest exact spelling, so the report line reads as the Java servers'. */
static void format_duration(int64_t nanos, char *out, size_t len) {
    if (nanos % 1000000000 == 0) snprintf(out, len, "%" PRId64 "s", nanos / 1000000000);
    else if (nanos % 1000000 == 0) snprintf(out, len, "%" PRId64 "ms", nanos / 1000000);
    else snprintf(out, len, "%" PRId64 "us", nanos / 1000);
}

/* --work: none or cpu:D; returns the cpu time in nanoseconds (0 for none); exits 2 on anything else. */
static int64_t parse_work(const char *spec) {
    if (strcmp(spec, "none") == 0) return 0;
    if (strstr(spec, "wait:") != NULL) {
        fprintf(stderr, "echo_server: --work '%s': not applicable: the C server implements cpu: work only\n", spec);
        exit(2);
    }
    int64_t nanos = strncmp(spec, "cpu:", 4) == 0 ? parse_duration(spec + 4) : -1;
    if (nanos < 0) {
        fprintf(stderr, "echo_server: --work '%s' is not a work spec; write none or cpu:DURATION, e.g. cpu:20us\n", spec);
        exit(2);
    }
    if (nanos > MAX_WORK_NANOS) {
        fprintf(stderr, "echo_server: --work '%s' is over the limit of 10s per request\n", spec);
        exit(2);
    }
    char shown[32];
    format_duration(nanos, shown, sizeof shown);
    snprintf(work_spec, sizeof work_spec, nanos == 0 ? "none" : "cpu:%s", shown);
    return nanos;
}

/* The options' checks of ServerOptions.toWork and RequestWork, then the iteration count, given or calibrated. */
static void configure_work(int64_t cpu_nanos, const char *iterations_text) {
    if (request_size == 0 && strcmp(work_spec, "none") != 0) {
        fprintf(stderr, "echo_server: --work %s needs requests: give --request-size BYTES (the client's message size)\n", work_spec);
        exit(2);
    }
    if (iterations_text != NULL && cpu_nanos == 0) {
        fprintf(stderr, "echo_server: --cpu-iterations is only taken with cpu: work, not --work %s\n", work_spec);
        exit(2);
    }
    if (cpu_nanos == 0) return;
    if (iterations_text != NULL) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(iterations_text, &end, 10);
        if (errno || *iterations_text == '\0' || *iterations_text == '-' || *end != '\0' || n < 1 || n > INT64_MAX) {
            fprintf(stderr, "echo_server: --cpu-iterations must be 1 or more with cpu: work, got '%s'\n", iterations_text);
            exit(2);
        }
        cpu_iterations = n;
    } else {
        cpu_iterations = calibrate(cpu_nanos);
    }
    fprintf(stderr, "work %s = %" PRIu64 " iterations (%s)\n", work_spec, cpu_iterations,
            iterations_text != NULL ? "given" : "calibrated");
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
    if (c->requests != NULL) {
        struct requests *r = c->requests;
        closed_handled += r->handled;
        closed_checksum += r->checksum;
        r->prev->next = r->next;
        r->next->prev = r->prev;
        free(r->tail);
        free(r);
    }
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
    if (c->pending == NULL && (c->pending = malloc(read_cap)) == NULL) return -1;
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

/* With --request-size: the CPU work of every request in buf[0, bytes), in order, as RequestWork.Connection. */
static void handle_all(struct requests *r, const char *buf, size_t bytes) {
    for (size_t off = 0; off < bytes; off += request_size) {
        if (cpu_iterations > 0)
            r->checksum = r->checksum * 31 + cpu_hash((const unsigned char *)buf + off, request_size, cpu_iterations);
        r->handled++;
    }
}

/* read_and_echo with requests: the last read's incomplete tail first, then what the socket has; the
 * complete requests are handled and echoed, the new tail kept. Returns 0 to keep the connection. */
static int read_requests(int ep, struct conn *c) {
    struct requests *r = c->requests;
    size_t have = r->tail_len;
    if (have > 0) memcpy(read_buf, r->tail, have);
    ssize_t n = read(c->fd, read_buf + have, read_cap - have); /* have < request_size <= read_cap */
    if (n == 0) return -1;
    if (n < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    size_t end = have + (size_t)n;
    size_t complete = end - end % request_size;
    r->tail_len = end - complete;
    if (r->tail_len > 0) {
        if (r->tail == NULL && (r->tail = malloc(request_size)) == NULL) return -1;
        memcpy(r->tail, read_buf + complete, r->tail_len);
    }
    if (complete == 0) return 0;
    handle_all(r, read_buf, complete);
    ssize_t w = write(c->fd, read_buf, complete);
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR) return -1;
        w = 0;
    }
    if ((size_t)w < complete) return hold_back(ep, c, read_buf + w, complete - (size_t)w);
    return 0;
}

/* The Java servers' shutdown line, RequestWork.report(): every connection's tally, open ones included. */
static void report_work(void) {
    uint64_t handled = closed_handled, checksum = closed_checksum;
    for (struct requests *r = open_requests.next; r != &open_requests; r = r->next) {
        handled += r->handled;
        checksum += r->checksum;
    }
    fprintf(stderr, "work %s: %" PRIu64 " requests handled, checksum 0x%" PRIx64 "\n", work_spec, handled, checksum);
    fflush(stderr);
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
        if (request_size > 0) {
            if ((c->requests = calloc(1, sizeof *c->requests)) == NULL) {
                free(c);
                close(fd);
                continue;
            }
            c->requests->next = open_requests.next;
            c->requests->prev = &open_requests;
            open_requests.next->prev = c->requests;
            open_requests.next = c->requests;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) close_conn(ep, c);
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
    const char *host = "127.0.0.1", *port = "7007", *iterations_text = NULL;
    int64_t cpu_nanos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (i + 1 >= argc) die_usage("missing value or unknown option", argv[i]);
        if (strcmp(argv[i], "--host") == 0) host = argv[++i];
        else if (strcmp(argv[i], "--port") == 0) { port = argv[++i]; parse_long(port, 0, 65535, "--port"); }
        else if (strcmp(argv[i], "--buffer-size") == 0) buf_size = (size_t)parse_long(argv[++i], 64, 16 << 20, "--buffer-size");
        else if (strcmp(argv[i], "--request-size") == 0) request_size = (size_t)parse_long(argv[++i], 0, 16 << 20, "--request-size");
        else if (strcmp(argv[i], "--work") == 0) cpu_nanos = parse_work(argv[++i]);
        else if (strcmp(argv[i], "--cpu-iterations") == 0) iterations_text = argv[++i];
        else die_usage("unknown option", argv[i]);
    }
    configure_work(cpu_nanos, iterations_text);
    signal(SIGPIPE, SIG_IGN); /* a write to a reset peer must fail with EPIPE, not kill the server */
    raise_fd_limit();
    read_cap = request_size > buf_size ? request_size : buf_size;
    if ((read_buf = malloc(read_cap)) == NULL) { perror("echo_server: malloc"); return 1; }

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
                if (request_size > 0) report_work();
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
            else rc = request_size == 0 ? read_and_echo(ep, c) : read_requests(ep, c);
            if (rc < 0) close_conn(ep, c);
        }
    }
}

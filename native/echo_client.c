/*
 * echo_client: the yardstick for the Java load client. A minimal single-threaded epoll closed-loop
 * client: each connection sends one message, waits for the whole echo, checks every byte, and sends
 * the next (pipeline 1). Whatever throughput it reaches against a server is what this machine can
 * drive with one client thread; the Java client's closed loop is compared against it.
 *
 *   echo_client --target HOST:PORT --connections N --size BYTES --duration-s S --warmup-s W
 *
 * Prints one line: throughput_msgs_s=<float> messages=<n> errors=<n> cpu_s=<float>
 * (messages, throughput and the process's CPU time, user plus system, count only the measured window,
 * after warm-up).
 * Exits 0 when there were no errors, 1 when any connection failed or any echoed byte differed,
 * 2 on bad input. Targets must be loopback addresses unless --allow-non-loopback is given.
 *
 * Every message differs from the previous one (connection id and sequence number in its first
 * 16 bytes), so an echo of a stale or foreign message is caught, not just a corrupted byte.
 *
 * Build: gcc -O2 -Wall -Wextra -o echo_client native/echo_client.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define MAX_CONNECTIONS 1000000
#define MAX_SIZE (16 << 20)

struct conn {
    int fd;
    uint32_t id;
    uint64_t seq;
    char *msg;       /* the message in flight, compared against the echo */
    size_t sent;     /* bytes of msg written so far */
    size_t received; /* bytes of the echo read and checked so far */
    int dead;
};

static size_t size;
static char *recv_buf;

static void usage(FILE *out) {
    fprintf(out, "Usage: echo_client --target HOST:PORT --connections N --size BYTES --duration-s S --warmup-s W\n"
                 "                   [--allow-non-loopback]\n"
                 "Single-threaded epoll closed-loop echo client (pipeline 1), the yardstick for the Java client.\n"
                 "  --target HOST:PORT   server to load; loopback only unless --allow-non-loopback\n"
                 "  --connections N      connections, 1-%d (default 1)\n"
                 "  --size BYTES         message size, 1-%d (default 64)\n"
                 "  --duration-s S       measured seconds, 1-86400 (default 10)\n"
                 "  --warmup-s W         unmeasured seconds before, 0-86400 (default 2)\n"
                 "Prints: throughput_msgs_s=<float> messages=<n> errors=<n> cpu_s=<float>. Exit 1 when errors > 0.\n",
            MAX_CONNECTIONS, MAX_SIZE);
}

static void fail_input(const char *fmt, const char *arg) {
    fprintf(stderr, "echo_client: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    exit(2);
}

static long parse_long(const char *s, long lo, long hi, const char *name) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "echo_client: %s must be an integer between %ld and %ld, got '%s'\n", name, lo, hi, s);
        exit(2);
    }
    return v;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User plus system CPU time of this process so far. */
static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int is_loopback(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return 0;
}

/* HOST:PORT or [V6]:PORT. */
static struct addrinfo *resolve(const char *target, int allow_non_loopback) {
    char host[256];
    const char *colon = strrchr(target, ':');
    if (colon == NULL || colon == target || colon[1] == '\0' || (size_t)(colon - target) >= sizeof host)
        fail_input("--target must be HOST:PORT, got '%s'", target);
    size_t hl = (size_t)(colon - target);
    memcpy(host, target, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    parse_long(colon + 1, 1, 65535, "the port in --target");
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "echo_client: cannot resolve %s: %s\n", target, gai_strerror(rc));
        exit(2);
    }
    if (!allow_non_loopback && !is_loopback(res->ai_addr))
        fail_input("--target %s is not a loopback address; load goes to loopback only (--allow-non-loopback overrides)", target);
    return res;
}

static void check_fd_limit(long connections) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)connections + 16 > rl.rlim_cur) {
        fprintf(stderr, "echo_client: %ld connections need %ld file descriptors, the limit is %lu (raise it with ulimit -n)\n",
                connections, connections + 16, (unsigned long)rl.rlim_cur);
        exit(2);
    }
}

/* The next message: a fixed pattern with the connection id and sequence number stamped in front. */
static void next_message(struct conn *c) {
    c->seq++;
    uint64_t stamp[2] = {c->id, c->seq};
    memcpy(c->msg, stamp, size < sizeof stamp ? size : sizeof stamp);
    c->sent = 0;
    c->received = 0;
}

static void kill_conn(int ep, struct conn *c, long *errors) {
    if (c->dead) return;
    c->dead = 1;
    (*errors)++;
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
}

/* Writes what it can of the current message; waits for EPOLLOUT only if the socket pushes back. */
static int send_some(int ep, struct conn *c) {
    while (c->sent < size) {
        ssize_t w = write(c->fd, c->msg + c->sent, size - c->sent);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) return -1;
            struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
            return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        }
        c->sent += (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *target = NULL;
    long connections = 1, duration_s = 10, warmup_s = 2;
    int allow_non_loopback = 0;
    size = 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
        if (strcmp(a, "--allow-non-loopback") == 0) { allow_non_loopback = 1; continue; }
        if (i + 1 >= argc) { fprintf(stderr, "echo_client: missing value or unknown option: %s\n", a); usage(stderr); return 2; }
        const char *v = argv[++i];
        if (strcmp(a, "--target") == 0) target = v;
        else if (strcmp(a, "--connections") == 0) connections = parse_long(v, 1, MAX_CONNECTIONS, "--connections");
        else if (strcmp(a, "--size") == 0) size = (size_t)parse_long(v, 1, MAX_SIZE, "--size");
        else if (strcmp(a, "--duration-s") == 0) duration_s = parse_long(v, 1, 86400, "--duration-s");
        else if (strcmp(a, "--warmup-s") == 0) warmup_s = parse_long(v, 0, 86400, "--warmup-s");
        else { fprintf(stderr, "echo_client: unknown option: %s\n", a); usage(stderr); return 2; }
    }
    if (target == NULL) { fprintf(stderr, "echo_client: --target HOST:PORT is required\n"); usage(stderr); return 2; }
    signal(SIGPIPE, SIG_IGN);
    struct addrinfo *addr = resolve(target, allow_non_loopback);
    check_fd_limit(connections);

    struct conn *conns = calloc((size_t)connections, sizeof *conns);
    recv_buf = malloc(size < 65536 ? 65536 : size);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (conns == NULL || recv_buf == NULL || ep < 0) { perror("echo_client: setup"); return 1; }

    /* Connect every connection before the clock starts: the ramp is not part of the measurement. */
    for (long i = 0; i < connections; i++) {
        struct conn *c = &conns[i];
        c->id = (uint32_t)i;
        c->fd = socket(addr->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c->fd < 0 || connect(c->fd, addr->ai_addr, addr->ai_addrlen) < 0) {
            fprintf(stderr, "echo_client: cannot connect to %s: %s\n", target, strerror(errno));
            return 1;
        }
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0) { perror("echo_client: fcntl"); return 1; }
        c->msg = malloc(size);
        if (c->msg == NULL) { perror("echo_client: malloc"); return 1; }
        for (size_t b = 0; b < size; b++) c->msg[b] = (char)(b * 31 + i);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    freeaddrinfo(addr);

    long errors = 0, messages = 0, live = connections;
    for (long i = 0; i < connections; i++) {
        next_message(&conns[i]);
        if (send_some(ep, &conns[i]) < 0) { kill_conn(ep, &conns[i], &errors); live--; }
    }

    double start = now_s(), measure_from = start + (double)warmup_s, end = measure_from + (double)duration_s;
    double t = start, cpu_from = -1;
    struct epoll_event events[MAX_EVENTS];
    while (t < end && live > 0) {
        int timeout_ms = (int)((end - t) * 1000) + 1;
        if (timeout_ms > 100) timeout_ms = 100;
        int n = epoll_wait(ep, events, MAX_EVENTS, timeout_ms);
        if (n < 0 && errno != EINTR) { perror("echo_client: epoll_wait"); return 1; }
        t = now_s();
        int measuring = t >= measure_from && t < end;
        if (measuring && cpu_from < 0) cpu_from = cpu_s();
        for (int e = 0; e < n; e++) {
            struct conn *c = events[e].data.ptr;
            if (c->dead) continue;
            if ((events[e].events & EPOLLOUT) && c->sent < size) {
                if (send_some(ep, c) < 0) { kill_conn(ep, c, &errors); live--; continue; }
                if (c->sent == size) {
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (!(events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
            ssize_t r = read(c->fd, recv_buf, size - c->received);
            if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            /* An early close, a reset, an echo longer than what was sent, or a changed byte. */
            if (r <= 0 || c->received + (size_t)r > c->sent
                    || memcmp(recv_buf, c->msg + c->received, (size_t)r) != 0) {
                if (r > 0) fprintf(stderr, "echo_client: connection %u: echoed bytes differ from those sent\n", c->id);
                else if (r == 0) fprintf(stderr, "echo_client: connection %u: server closed early\n", c->id);
                else fprintf(stderr, "echo_client: connection %u: %s\n", c->id, strerror(errno));
                kill_conn(ep, c, &errors);
                live--;
                continue;
            }
            c->received += (size_t)r;
            if (c->received == size) {
                if (measuring) messages++;
                next_message(c);
                if (send_some(ep, c) < 0) { kill_conn(ep, c, &errors); live--; }
            }
        }
    }
    double measured = (t < end ? t : end) - measure_from;
    double throughput = measured > 0 ? (double)messages / measured : 0.0;
    double cpu = cpu_from < 0 ? 0.0 : cpu_s() - cpu_from;
    printf("throughput_msgs_s=%.1f messages=%ld errors=%ld cpu_s=%.3f\n", throughput, messages, errors, cpu);
    fflush(stdout);
    return errors > 0 ? 1 : 0;
}

package study.echo.bench.compare;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a server's counters over the client's measured window, which the harness cannot see
 * directly: it waits until the server holds every connection (its open file descriptors), then
 * for the client's warm-up, then takes a full snapshot at the start and at the end of the measured
 * duration, with cheap samples of RSS and thread count in between.
 *
 * <p>The window is therefore accurate to the sampling period (about 50 ms at the start, which is small
 * against the measured seconds) and to the client JVM's own scheduling.
 */
final class WindowSampler implements Runnable {
    private static final long FD_POLL_NANOS = 50_000_000L;
    private static final long SAMPLE_NANOS = 250_000_000L;

    private final long pid;
    private final int baseFds;
    private final int connections;
    private final Duration rampTimeout;
    private final Duration warmup;
    private final Duration duration;
    private volatile boolean stopped;

    private volatile ProcStats.Snapshot first;
    private volatile ProcStats.Snapshot last;
    private volatile int maxThreads;
    private volatile boolean rampSeen;

    WindowSampler(long pid, int baseFds, int connections, Duration rampTimeout, Duration warmup, Duration duration) {
        this.pid = pid;
        this.baseFds = baseFds;
        this.connections = connections;
        this.rampTimeout = rampTimeout;
        this.warmup = warmup;
        this.duration = duration;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            long start = System.nanoTime();
            long connectedAt = awaitConnections(start);
            if (!sleepUntil(connectedAt + warmup.toNanos())) return;
            first = ProcStats.full(pid);
            maxThreads = first.threads();
            long end = first.nanoTime() + duration.toNanos();
            while (!stopped && System.nanoTime() < end) {
                ProcStats.Snapshot s = ProcStats.light(pid);
                maxThreads = Math.max(maxThreads, s.threads());
                LockSupport.parkNanos(Math.min(SAMPLE_NANOS, Math.max(0, end - System.nanoTime())));
            }
            if (!stopped || System.nanoTime() >= end) {
                last = ProcStats.full(pid);
                maxThreads = Math.max(maxThreads, last.threads());
            }
        } catch (IOException | RuntimeException e) {
            // The server died: the point fails on that, and the counters stay empty.
        }
    }

    /** When the server held every connection; a fallback after the ramp timeout so the window still closes. */
    private long awaitConnections(long start) throws IOException {
        long deadline = start + rampTimeout.toNanos();
        while (!stopped && System.nanoTime() < deadline) {
            if (ProcStats.openFds(pid) >= baseFds + connections) {
                rampSeen = true;
                return System.nanoTime();
            }
            LockSupport.parkNanos(FD_POLL_NANOS);
        }
        return System.nanoTime();
    }

    private boolean sleepUntil(long nanoTime) {
        while (!stopped && System.nanoTime() < nanoTime) {
            LockSupport.parkNanos(Math.min(SAMPLE_NANOS, nanoTime - System.nanoTime()));
        }
        return !stopped;
    }

    /** Puts the server columns in a row; leaves them empty when the window was not sampled in full. */
    void fill(Map<String, String> row, double throughputMsgsPerS) {
        ProcStats.Snapshot a = first;
        ProcStats.Snapshot b = last;
        if (a == null || b == null || !rampSeen) {
            String why = a == null || b == null ? "the measured window was not sampled in full"
                    : "the server never held every connection";
            row.put("reason", append(row.get("reason"), "server counters missing: " + why));
            return;
        }
        double wallS = (b.nanoTime() - a.nanoTime()) / 1e9;
        double cpuS = b.cpuSeconds() - a.cpuSeconds();
        long vol = b.voluntaryCtxSwitches() - a.voluntaryCtxSwitches();
        long invol = b.involuntaryCtxSwitches() - a.involuntaryCtxSwitches();
        double msgs = throughputMsgsPerS * wallS;
        row.put("server_cpu_s", Summary.num(cpuS));
        row.put("server_cpu_percent", Summary.num(100 * cpuS / wallS));
        row.put("server_cpu_s_per_1000_msgs", Summary.num(1000 * cpuS / msgs));
        row.put("server_voluntary_ctx_switches", Long.toString(vol));
        row.put("server_involuntary_ctx_switches", Long.toString(invol));
        row.put("server_ctx_switches_per_1000_msgs", Summary.num(1000 * (vol + invol) / msgs));
        row.put("server_threads_max", Integer.toString(maxThreads));
    }

    static String append(String reason, String note) {
        return reason == null || reason.isEmpty() ? note : reason + "; " + note;
    }
}

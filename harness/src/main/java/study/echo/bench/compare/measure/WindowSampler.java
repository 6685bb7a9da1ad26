package study.echo.bench.compare.measure;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import study.echo.bench.compare.results.MachineNoise;
import study.echo.bench.compare.results.ServerResources;

/**
 * Reads a server's counters over the client's measured window, which the harness cannot see
 * directly: it waits until the server holds every connection (its open file descriptors, polled every
 * 20 ms), then for the client's warm-up, and takes a full snapshot; the second full snapshot comes when
 * the client's window ends, before the client disconnects, so that tearing down thousands of
 * connections is not counted as serving them (earlier only if the client exits first), with cheap
 * samples of the thread count in between. At both ends it also reads the whole machine's CPU and the
 * client's and the harness's own, so that what the rest of the machine did in the window is known. Context switches come from a third snapshot taken just
 * before the measured window ends, while every connection is still open: a thread-per-connection
 * server's threads end once the client disconnects, and an ended thread's switches can no longer be
 * read. Rates are normalised by the client's own message count, so the
 * window is accurate to the start-up poll, some tens of milliseconds against seconds measured.
 */
public final class WindowSampler implements Runnable {
    private static final long FD_POLL_NANOS = 20_000_000L;
    private static final long SAMPLE_NANOS = 250_000_000L;
    /** How long before the planned end of the window the context switches are read. */
    private static final long SWITCHES_BEFORE_END_NANOS = 300_000_000L;
    /** The wait for the server's accepts in all, in ramp timeouts: it stays bounded however slowly they come. */
    static final int MAX_RAMP_TIMEOUTS = 10;

    /** Where the counters come from: /proc, or a test's stand-in. */
    interface Reader {
        int openFds(long pid) throws IOException;

        ProcStats.Snapshot light(long pid) throws IOException;

        ProcStats.Snapshot full(long pid) throws IOException;

        MachineCpu machine() throws IOException;

        /** CPU seconds of any process, user plus system. */
        double cpuSeconds(long pid) throws IOException;

        /**
         * CPU seconds of the kernel's softirq threads ({@code ksoftirqd/N}). Under load the kernel hands
         * loopback TCP processing to them: at 10,000 connections they took 9-18% of a core in the
         * reference run's windows, all of it the server's and the client's own traffic, not a neighbour's.
         */
        double softirqThreadsCpuSeconds() throws IOException;
    }

    /** Told when the measured window opens and closes, to count over exactly that window (perf, strace). */
    public interface WindowListener {
        WindowListener NONE = new WindowListener() {
            @Override
            public void windowStarted() {}

            @Override
            public void windowEnded() {}
        };

        void windowStarted();

        void windowEnded();
    }

    /** Everything but the server, read at each end of the window. */
    private record Others(MachineCpu machine, double clientCpuS, double harnessCpuS, double softirqThreadsCpuS) {}

    private static final Reader PROC = new Reader() {
        @Override
        public int openFds(long pid) throws IOException {
            return ProcStats.openFds(pid);
        }

        @Override
        public ProcStats.Snapshot light(long pid) throws IOException {
            return ProcStats.light(pid);
        }

        @Override
        public ProcStats.Snapshot full(long pid) throws IOException {
            return ProcStats.full(pid);
        }

        @Override
        public MachineCpu machine() throws IOException {
            return MachineCpu.read();
        }

        @Override
        public double cpuSeconds(long pid) throws IOException {
            return ProcStats.cpuSeconds(pid);
        }

        @Override
        public double softirqThreadsCpuSeconds() throws IOException {
            double total = 0;
            for (long pid : SOFTIRQ_THREADS) total += ProcStats.cpuSeconds(pid);
            return total;
        }
    };

    /** The ksoftirqd threads, one per CPU, which live as long as the kernel: found once. */
    private static final List<Long> SOFTIRQ_THREADS = ProcStats.kernelThreads("ksoftirqd/");

    private static final long HARNESS_PID = ProcessHandle.current().pid();

    private final Reader reader;
    private final long pid;
    private final long clientPid;
    private final int baseFds;
    private final int connections;
    private final int idleFirst;
    private final Duration rampTimeout;
    private final Duration warmup;
    private final Duration duration;
    private final WindowListener listener;
    private volatile boolean stopped;

    private volatile ProcStats.Snapshot first;
    private volatile ProcStats.Snapshot last;
    private volatile ProcStats.Snapshot beforeDisconnect;
    private volatile Others firstOthers;
    private volatile Others lastOthers;
    private volatile Exception othersFailure;
    private volatile long windowNanos;
    private volatile int maxThreads;
    private volatile boolean rampSeen;
    private volatile long acceptNanos = -1;
    private volatile int maxAccepted;
    private volatile long idleHeldNanos = -1;
    private final CountDownLatch rampEnded = new CountDownLatch(1);
    /** Why sampling ended early, or null: the reason a row's server counters are missing. */
    private volatile Exception failure;

    /**
     * @param pid the server's process
     * @param clientPid the load client's process, whose CPU is not the rest of the machine's
     * @param connections every connection the server will hold, idle ones included
     * @param idleFirst of those, the idle ones the client opens first, each echoed before the next (0 to
     *     {@code connections}): its ramp goes at the server's pace, not at the connect rate
     * @param rampTimeout how long the wait for the server's accepts goes on without a new one; never
     *     more than {@link #MAX_RAMP_TIMEOUTS} of them in all
     * @param listener told when the window opens and closes
     */
    public WindowSampler(long pid, long clientPid, int baseFds, int connections, int idleFirst, Duration rampTimeout,
                         Duration warmup, Duration duration, WindowListener listener) {
        this(PROC, pid, clientPid, baseFds, connections, idleFirst, rampTimeout, warmup, duration, listener);
    }

    WindowSampler(Reader reader, long pid, long clientPid, int baseFds, int connections, Duration rampTimeout,
                  Duration warmup, Duration duration) {
        this(reader, pid, clientPid, baseFds, connections, 0, rampTimeout, warmup, duration, WindowListener.NONE);
    }

    WindowSampler(Reader reader, long pid, long clientPid, int baseFds, int connections, int idleFirst,
                  Duration rampTimeout, Duration warmup, Duration duration, WindowListener listener) {
        if (idleFirst < 0 || idleFirst > connections) {
            throw new IllegalArgumentException("idle connections " + idleFirst + " not within 0.." + connections);
        }
        this.idleFirst = idleFirst;
        this.listener = listener;
        this.reader = reader;
        this.pid = pid;
        this.clientPid = clientPid;
        this.baseFds = baseFds;
        this.connections = connections;
        this.rampTimeout = rampTimeout;
        this.warmup = warmup;
        this.duration = duration;
    }

    /** The client has exited: take the closing snapshot now, if its window has not ended yet. */
    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            long start = System.nanoTime();
            long connectedAt = awaitConnections(start);
            long measureFrom = connectedAt + warmup.toNanos();
            if (!sleepUntil(measureFrom)) return;
            listener.windowStarted();
            // The rest of the machine first, at both ends: a full snapshot of a server with 10,000 threads
            // takes long enough for the client to exit after its window, and its CPU is then unreadable.
            firstOthers = others();
            first = reader.full(pid);
            maxThreads = first.threads();
            windowNanos = duration.toNanos();
            long windowEnd = measureFrom + windowNanos;
            long switchesAt = windowEnd - Math.min(SWITCHES_BEFORE_END_NANOS, windowNanos / 4);
            while (!stopped && System.nanoTime() < windowEnd) {
                ProcStats.Snapshot s;
                if (beforeDisconnect == null && System.nanoTime() >= switchesAt) {
                    s = reader.full(pid);
                    beforeDisconnect = s;
                } else {
                    s = reader.light(pid);
                }
                maxThreads = Math.max(maxThreads, s.threads());
                long next = beforeDisconnect == null ? switchesAt : windowEnd;
                LockSupport.parkNanos(Math.max(1, Math.min(SAMPLE_NANOS, next - System.nanoTime())));
            }
            listener.windowEnded();
            lastOthers = others();
            last = reader.full(pid);
            maxThreads = Math.max(maxThreads, last.threads());
        } catch (IOException | RuntimeException e) {
            // Most often the server died, and the point fails on that; whatever it was, the row says it.
            failure = e;
        }
    }

    /**
     * When the server held every connection. The wait goes on while the server keeps accepting: a
     * poll(2) server that already holds thousands of idle connections scans them all for every accept,
     * and selector-poll had taken 6,270 of 10,100 when a fixed 25 s wait gave up, so that its row lost
     * its server counters. It ends after {@link #rampTimeout} without a new connection, or after
     * {@link #MAX_RAMP_TIMEOUTS} of them in all, and the window then still closes.
     */
    private long awaitConnections(long start) throws IOException {
        long stallNanos = rampTimeout.toNanos();
        long capAt = start + MAX_RAMP_TIMEOUTS * stallNanos;
        long giveUpAt = start + stallNanos;
        try {
            while (!stopped) {
                long now = System.nanoTime();
                if (now - giveUpAt >= 0 || now - capAt >= 0) break;
                int accepted = reader.openFds(pid) - baseFds;
                if (accepted > maxAccepted) {
                    maxAccepted = accepted;
                    giveUpAt = now + stallNanos;
                }
                if (idleFirst > 0 && idleHeldNanos < 0 && accepted >= idleFirst) idleHeldNanos = now - start;
                if (accepted >= connections) {
                    rampSeen = true;
                    acceptNanos = now - start;
                    return now;
                }
                LockSupport.parkNanos(FD_POLL_NANOS);
            }
            return System.nanoTime();
        } finally {
            rampEnded.countDown();
        }
    }

    /**
     * Waits up to {@code timeout} for the wait for the server's accepts to end: every connection held,
     * or given up on. The client's warm-up and window follow it.
     */
    public boolean awaitRampEnd(Duration timeout) throws InterruptedException {
        return rampEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** How the wait for the server's accepts ended, for a failure's reason; null while it goes on. */
    public String rampOutcome() {
        if (rampEnded.getCount() > 0) return null;
        return rampSeen ? "of the server holding its connections"
                : "of the wait for the server's accepts ending at " + Math.max(0, maxAccepted) + " of " + connections;
    }

    /** The longest {@link #awaitRampEnd} can take to come true once the sampler runs. */
    public Duration maxRamp() {
        return rampTimeout.multipliedBy(MAX_RAMP_TIMEOUTS);
    }

    private boolean sleepUntil(long nanoTime) {
        while (!stopped && System.nanoTime() < nanoTime) {
            LockSupport.parkNanos(Math.min(SAMPLE_NANOS, nanoTime - System.nanoTime()));
        }
        return !stopped;
    }

    /**
     * The server's figures over the measured window; none when the window was not sampled in full.
     *
     * @param messages the messages the client counted in its measured window
     * @param durationS the client's measured seconds
     * @param expectedRampS seconds the client needs to start and open its connections, the idle ones
     *     held first not counted (it waits for the server's echo of each, so it cannot be ahead of it)
     * @param notes where to say what may be wrong with the figures
     */
    public ServerResources resources(double messages, double durationS, double expectedRampS, List<String> notes) {
        ProcStats.Snapshot a = first;
        ProcStats.Snapshot b = last;
        Double acceptS = null;
        if (acceptNanos >= 0) {
            acceptS = acceptNanos / 1e9;
            // The client starts its warm-up once its own connects complete, which the kernel's backlog
            // lets happen before the server accepts. A server that accepts slowly is then still
            // accepting when the client measures: say so.
            double afterIdleS = idleHeldNanos >= 0 ? (acceptNanos - idleHeldNanos) / 1e9 : acceptS;
            if (afterIdleS > expectedRampS + warmup.toMillis() / 1000.0) {
                notes.add(String.format(java.util.Locale.ROOT, "the server took %.1f s to accept every connection%s,"
                        + " so the measured window may include its accept ramp", afterIdleS,
                        idleHeldNanos >= 0 ? " after the idle ones" : ""));
            }
        }
        if (a == null || b == null || !rampSeen || !(messages > 0) || !(durationS > 0)) {
            Exception cause = failure;
            String why = cause != null ? "reading /proc/" + pid + " failed: " + oneLine(cause)
                    : !rampSeen ? "the server had accepted " + Math.max(0, maxAccepted) + " of " + connections
                    + " connections when the wait for them ended"
                    : "the measured window was not sampled in full";
            notes.add("server counters missing: " + why);
            return acceptS == null ? ServerResources.NONE : ServerResources.NONE.withAcceptS(acceptS);
        }
        double cpuS = b.cpuSeconds() - a.cpuSeconds();
        // Switches over the part of the window before the disconnect, scaled to the whole window (the
        // client's rate is steady within it); without that snapshot, first to last.
        ProcStats.Snapshot c = beforeDisconnect != null ? beforeDisconnect : b;
        long[] switches = ProcStats.ctxSwitchesBetween(a, c);
        double scale = c == b || windowNanos <= 0 ? 1 : windowNanos / (double) Math.max(1, c.nanoTime() - a.nanoTime());
        long vol = Math.round(switches[0] * scale);
        long invol = Math.round(switches[1] * scale);
        return new ServerResources(cpuS, 100 * cpuS / durationS, 1000 * cpuS / messages, vol, invol,
                1000 * (vol + invol) / messages, maxThreads, null, acceptS);
    }

    /**
     * What the rest of the machine took over the window: busy CPU less the server's, the client's, the
     * harness's own and the kernel softirq threads' (which carry the loopback traffic of the first two); unknown when either end could not be read (said in {@code notes}).
     */
    public MachineNoise noise(List<String> notes) {
        ProcStats.Snapshot a = first;
        ProcStats.Snapshot b = last;
        Others x = firstOthers;
        Others y = lastOthers;
        if (a == null || b == null || x == null || y == null) {
            if (othersFailure != null) notes.add("machine CPU not measured: " + oneLine(othersFailure));
            return MachineNoise.NONE;
        }
        double windowS = (b.nanoTime() - a.nanoTime()) / 1e9;
        if (!(windowS > 0)) return MachineNoise.NONE;
        double own = (b.cpuSeconds() - a.cpuSeconds()) + (y.clientCpuS() - x.clientCpuS())
                + (y.harnessCpuS() - x.harnessCpuS()) + (y.softirqThreadsCpuS() - x.softirqThreadsCpuS());
        // Ticks of 10 ms on both sides: a small negative difference is rounding, not a negative load.
        double other = Math.max(0, y.machine().busySecondsSince(x.machine()) - own);
        return new MachineNoise(100 * other / windowS, 100 * y.machine().stealSecondsSince(x.machine()) / windowS);
    }

    /** Everything but the server now; null when it cannot be read (the client gone, say), with the cause kept. */
    private Others others() {
        try {
            return new Others(reader.machine(), reader.cpuSeconds(clientPid), reader.cpuSeconds(HARNESS_PID),
                    reader.softirqThreadsCpuSeconds());
        } catch (IOException | RuntimeException e) {
            othersFailure = e;
            return null;
        }
    }

    /** An exception as one line for the reason column, which holds no newline. */
    private static String oneLine(Exception e) {
        return (e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("\\s+", " ");
    }
}

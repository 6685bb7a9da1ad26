package study.echo.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import study.echo.common.EchoServer;
import study.echo.common.SocketFamily;
import study.echo.common.UserException;

/**
 * Wires one run together: checks limits, opens the connections at the connect rate, starts the I/O
 * threads on a common clock, collects an interval every second and stops everything in one finally.
 */
final class LoadRun {
    /** Connects still pending this long after the ramp are given up as timed out. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** When this many first attempts all failed and none succeeded, the target is not there. */
    static final int GIVE_UP_AFTER_FAILURES = 10;
    /** Lead time between deciding the start and the first send, so every thread starts on schedule. */
    private static final long START_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final long STOP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How far a drawn schedule reaches beyond warm-up and window: the start lead, and then some. */
    private static final Duration START_SLACK = Duration.ofSeconds(1);
    /** How long an I/O thread may take to close the measured window once its end has come. */
    private static final Duration WINDOW_END_TIMEOUT = Duration.ofSeconds(5);

    private final ClientConfig config;
    private final RunListener listener;
    private final Counters counters = new Counters();
    private final List<IoLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final IdleHold idle = new IdleHold();
    private volatile boolean stopRequested;

    LoadRun(ClientConfig config, RunListener listener) {
        this.config = config;
        this.listener = listener;
    }

    RunResult run() throws IOException, InterruptedException {
        InetSocketAddress target = resolve(config);
        Limits.check(config);
        try {
            startLoops();
            openConnections(target);
            awaitConnects();
            long connected = counters.get(Counters.Kind.CONNECTED);
            if (connected == 0) {
                throw new UserException("cannot connect to " + config.target() + ": " + describeConnectFailures());
            }
            if (counters.alive() == 0) {
                throw everyConnectionLost("connection ramp");
            }
            long start = System.nanoTime() + START_LEAD_NANOS;
            long measureFrom = start + config.warmup().toNanos();
            RunClock clock = new RunClock(start, measureFrom, measureFrom + config.duration().toNanos());
            loops.forEach(loop -> loop.start(clock));
            return collect(clock);
        } finally {
            stopLoops();
            idle.close();
        }
    }

    static InetSocketAddress resolve(ClientConfig config) {
        try {
            return new InetSocketAddress(InetAddress.getByName(config.host()), config.port());
        } catch (UnknownHostException e) {
            throw new UserException("cannot resolve target host '" + config.host() + "'");
        }
    }

    private void startLoops() throws IOException {
        // One schedule for the whole client, drawn before any connection opens; the threads only read it.
        Arrivals arrivals = config.mode() == ClientConfig.Mode.OPEN
                ? Arrivals.of(config.arrivals(), config.rateMsgsPerSec(), config.connections(),
                        config.warmup().plus(config.duration()).plus(START_SLACK).toNanos(), config.seed())
                : null;
        for (int t = 0; t < config.threads(); t++) {
            SendPolicy policy = arrivals != null
                    ? new OpenLoop(arrivals, config.maxInFlight())
                    : new ClosedLoop(config.pipeline());
            IoLoop loop = new IoLoop(config.sizeBytes(), counters, policy, config.spinBeforeSend().toNanos());
            loops.add(loop);
            threads.add(Thread.ofPlatform().name("client-io-" + t).daemon().start(loop));
        }
    }

    /**
     * Opens connection {@code k} at {@code k / connect-rate} seconds after the ramp starts: the idle ones
     * of --hold-idle first, then the active ones.
     */
    private void openConnections(InetSocketAddress target) throws InterruptedException {
        long rampStart = System.nanoTime();
        long nextReport = rampStart + SECOND;
        double nanosPerConnect = 1e9 / config.connectRatePerSec();
        for (int k = -config.holdIdle(); k < config.connections(); k++) {
            long due = rampStart + (long) ((k + config.holdIdle()) * nanosPerConnect);
            for (long now; (now = System.nanoTime()) - due < 0; ) {
                sleepNanos(Math.min(due - now, nextReport - now));
                nextReport = maybeReportConnecting(nextReport);
            }
            nextReport = maybeReportConnecting(nextReport);
            if (stopRequested) {
                throw new RunAborted(ClientCommand.EXIT_INTERRUPTED,
                        "interrupted while opening connections; nothing to report");
            }
            if (k < 0) {
                // After the active ones on each source address, so both spread evenly over the addresses.
                int ordinal = k + config.holdIdle();
                idle.open(ordinal, config.connections() + ordinal, target, config.sourceAddresses());
                continue;
            }
            if (k == 0) idle.settle();
            open(k, target);
            if (targetIsNotThere()) {
                throw new UserException("cannot connect to " + config.target() + ": " + describeConnectFailures());
            }
            if (serverDropsEveryConnection()) {
                throw everyConnectionLost("connection ramp");
            }
        }
    }

    private boolean targetIsNotThere() {
        return counters.get(Counters.Kind.CONNECTED) == 0
                && counters.connectFailures() >= Math.min(config.connections(), GIVE_UP_AFTER_FAILURES);
    }

    /** As many connections as {@link #targetIsNotThere} needs to give up have opened, and every one was lost. */
    private boolean serverDropsEveryConnection() {
        long connected = counters.get(Counters.Kind.CONNECTED);
        return connected >= Math.min(config.connections(), GIVE_UP_AFTER_FAILURES) && counters.alive() == 0;
    }

    private RunAborted everyConnectionLost(String phase) {
        return new RunAborted(ClientCommand.EXIT_INTEGRITY, String.format(java.util.Locale.ROOT,
                "every connection to %s was lost during the %s (%d early closes, %d short echoes, %d mismatches);"
                        + " stopped at once, nothing measured", config.target(), phase,
                counters.get(Counters.Kind.EARLY_CLOSES), counters.get(Counters.Kind.SHORT_ECHOES),
                counters.get(Counters.Kind.MISMATCHES)));
    }

    private void open(int k, InetSocketAddress target) {
        SocketChannel channel = null;
        try {
            ProtocolFamily family = SocketFamily.of(target);
            channel = family == null ? SocketChannel.open() : SocketChannel.open(family);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            List<InetAddress> sources = config.sourceAddresses();
            if (!sources.isEmpty()) {
                channel.bind(new InetSocketAddress(sources.get(k % sources.size()), 0));
            }
            channel.connect(target);
            loops.get(k % loops.size()).add(k, channel);
        } catch (IOException e) {
            counters.increment(ConnectFailures.classify(e));
            if (channel != null) {
                EchoServer.closeQuietly(channel);
            }
        }
    }

    private void awaitConnects() throws InterruptedException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        long nextReport = System.nanoTime() + SECOND;
        // Loopback connects finish in microseconds; this waits for slow ones, bounded by the deadline.
        while (counters.get(Counters.Kind.CONNECTED) + counters.connectFailures() < config.connections()
                && System.nanoTime() - deadline < 0) {
            sleepNanos(TimeUnit.MILLISECONDS.toNanos(5));
            nextReport = maybeReportConnecting(nextReport);
            if (targetIsNotThere()) {
                break;
            }
            if (stopRequested) {
                throw new RunAborted(ClientCommand.EXIT_INTERRUPTED,
                        "interrupted while opening connections; nothing to report");
            }
        }
    }

    private long maybeReportConnecting(long nextReport) {
        if (System.nanoTime() - nextReport < 0) {
            return nextReport;
        }
        listener.connecting((int) counters.get(Counters.Kind.CONNECTED), (int) counters.connectFailures(),
                config.connections());
        return nextReport + SECOND;
    }

    private String describeConnectFailures() {
        return counters.describeConnectFailures() + " of " + config.connections() + " connection attempts failed";
    }

    /**
     * Takes an interval every second on the schedule's clock, one at the end of warm-up and one at the
     * end. Only intervals inside the measured window count towards the result; the last one also holds
     * the messages left unanswered when the window closed.
     */
    private RunResult collect(RunClock clock) throws InterruptedException {
        Histogram latencyTotal = new Histogram(LatencyRecorders.SIGNIFICANT_DIGITS);
        Histogram serviceTotal = new Histogram(LatencyRecorders.SIGNIFICANT_DIGITS);
        WindowTotals window = new WindowTotals();
        long previousTick = System.nanoTime();
        long previousErrors = 0;
        CpuUse cpu = new CpuUse(threads);
        long tick = clock.startNanos();
        while (tick != clock.endNanos() && !stopRequested) {
            tick = nextTick(tick, clock);
            boolean warmup = tick - clock.measureFromNanos() <= 0;
            sleepUntil(tick, warmup);
            long now = System.nanoTime();
            warmup = warmup || stopRequested && now - clock.measureFromNanos() <= 0;
            boolean last = !warmup && (tick == clock.endNanos() || stopRequested);
            if (last) {
                awaitWindowEnds(stopRequested ? now : Long.MAX_VALUE, window);
            }
            Histogram latency = new Histogram(LatencyRecorders.SIGNIFICANT_DIGITS);
            Histogram service = new Histogram(LatencyRecorders.SIGNIFICANT_DIGITS);
            for (IoLoop loop : loops) {
                checkAlive(loop);
                loop.recorders().drainInto(latency, service);
            }
            long unanswered = 0;
            if (last) {
                long longestAnswered = Math.max(latencyTotal.getMaxValue(), latency.getMaxValue());
                unanswered = window.recordUnanswered(longestAnswered, latency, service);
            }
            long errors = counters.integrityErrors();
            Interval interval = new Interval(warmup, seconds(previousTick - clock.measureFromNanos()),
                    seconds(now - clock.measureFromNanos()), latency, service, errors - previousErrors, unanswered);
            if (tick == clock.measureFromNanos()) {
                cpu.mark();
            }
            if (!warmup) {
                latencyTotal.add(latency);
                serviceTotal.add(service);
            }
            listener.interval(interval);
            previousTick = now;
            previousErrors = errors;
        }
        double cpuSeconds = seconds(cpu.processNanos());
        double busiestThreadSeconds = seconds(cpu.busiestThreadNanos());
        double idleCores = cpu.idleCores();
        double measuredSeconds = Math.max(0, seconds(previousTick - clock.measureFromNanos()));
        stopLoops();
        if (stopRequested && measuredSeconds == 0) {
            throw new RunAborted(ClientCommand.EXIT_INTERRUPTED,
                    "interrupted before the measured window began; nothing to report");
        }
        int idleLost = idle.lostAtEnd();
        return new RunResult(config, measuredSeconds, latencyTotal, serviceTotal, counters, window.sends,
                window.unanswered, window.longestUnansweredNanos, cpuSeconds, busiestThreadSeconds, idleCores,
                stopRequested, idle.held(), idleLost);
    }

    /** What the I/O threads left at the window's end, summed. */
    private static final class WindowTotals {
        final SendStats sends = new SendStats();
        final List<Unanswered> unansweredByThread = new ArrayList<>();
        long unanswered;
        long longestUnansweredNanos;

        /**
         * Records, into the last interval, the unanswered messages that had already waited longer than
         * any answered one: a server that went silent. A message that had waited less is an ordinary one
         * in flight at the window's end; recording its partial wait would pull the distribution down, so
         * it is left out, as every message in flight was before. A noted message whose echo still came
         * before the last drain is in the histograms with a latency above its wait, so the longest answered
         * is above its wait too and it is not counted twice. Returns how many were recorded.
         */
        long recordUnanswered(long longestAnsweredNanos, Histogram latency, Histogram service) {
            for (Unanswered u : unansweredByThread) {
                for (int i = 0; i < u.size(); i++) {
                    long waited = u.latencyNanos(i);
                    if (waited <= longestAnsweredNanos) {
                        continue;
                    }
                    latency.recordValue(waited);
                    if (u.serviceNanos(i) >= 0) {
                        service.recordValue(u.serviceNanos(i));
                    }
                    unanswered++;
                    longestUnansweredNanos = Math.max(longestUnansweredNanos, waited);
                }
            }
            return unanswered;
        }
    }

    /**
     * Waits, briefly, until every I/O thread has closed the window, so that the last interval holds
     * everything it recorded before, and takes what each left.
     *
     * @param stoppedAtNanos when the run was stopped early, the window's end; else {@link Long#MAX_VALUE}
     */
    private void awaitWindowEnds(long stoppedAtNanos, WindowTotals into) throws InterruptedException {
        long deadline = System.nanoTime() + WINDOW_END_TIMEOUT.toNanos();
        for (IoLoop loop : loops) {
            if (stoppedAtNanos != Long.MAX_VALUE) {
                loop.endWindowAt(stoppedAtNanos);
            }
            IoLoop.WindowEnd end;
            while ((end = loop.windowEnd()) == null) {
                checkAlive(loop);
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a client I/O thread did not close the measured window within "
                            + WINDOW_END_TIMEOUT.toMillis() + " ms");
                }
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            into.sends.add(end.sends());
            into.unansweredByThread.add(end.unanswered());
        }
    }

    private static void checkAlive(IoLoop loop) {
        if (loop.failure() != null) {
            throw new IllegalStateException("a client I/O thread failed", loop.failure());
        }
    }

    /** The next whole second of the schedule, with the start of measuring and the end as ticks of their own. */
    private static long nextTick(long tick, RunClock clock) {
        long next = tick + SECOND;
        if (tick - clock.measureFromNanos() < 0) {
            return next - clock.measureFromNanos() < 0 ? next : clock.measureFromNanos();
        }
        return next - clock.endNanos() < 0 ? next : clock.endNanos();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * Sleeps until {@code deadline} or until a stop is requested, whichever comes first. In the warm-up,
     * a run whose every connection was lost stops at once: there is nothing left to measure.
     */
    private void sleepUntil(long deadline, boolean warmup) throws InterruptedException {
        for (long now; (now = System.nanoTime()) - deadline < 0 && !stopRequested; ) {
            sleepNanos(Math.min(deadline - now, STOP_POLL_NANOS));
            if (warmup && counters.alive() == 0) {
                throw everyConnectionLost("warm-up");
            }
        }
    }

    /**
     * Ends the run early (Ctrl-C): the interval in progress becomes the last, and the result covers
     * what was measured until now. Safe from any thread.
     */
    void requestStop() {
        stopRequested = true;
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Shutdown: ask every loop to stop (they close their connections), then wait for the threads. */
    private void stopLoops() throws InterruptedException {
        loops.forEach(IoLoop::stop);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Thread t : threads) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    Counters counters() {
        return counters;
    }
}

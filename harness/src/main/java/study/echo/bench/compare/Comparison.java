package study.echo.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import study.echo.bench.compare.measure.Environment;
import study.echo.bench.compare.plan.CompareConfig;
import java.util.Set;
import study.echo.bench.compare.measure.PointRunner;
import study.echo.bench.compare.measure.SyscallCounter;
import study.echo.bench.compare.measure.WorkCalibration;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.IdleMemory;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Summary;
import study.echo.client.ClientResult;
import study.echo.common.UserException;
import study.echo.launch.Children;
import study.echo.launch.Launch;

/**
 * Runs a plan point after point into a run folder, keeping summary.csv current, and leaves no child
 * process behind whatever happens: normal end, failed points, or Ctrl-C.
 */
final class Comparison {
    static final String PLAN_FILE = "plan.txt";
    static final String STATUS_FILE = "status.txt";

    private final CompareConfig config;
    private final Launch launch;
    private final Map<String, Object> environment;
    private final PrintStream progress;
    private final WorkCalibration calibration;
    private final Children children = new Children();
    private final SyscallCounter syscalls;

    Comparison(CompareConfig config, Launch launch, Map<String, Object> environment, WorkCalibration calibration,
               PrintStream progress) {
        this(config, launch, environment, calibration, progress, SyscallCounter.off("system calls not counted"));
    }

    Comparison(CompareConfig config, Launch launch, Map<String, Object> environment, WorkCalibration calibration,
               PrintStream progress, SyscallCounter syscalls) {
        this.syscalls = syscalls;
        this.config = config;
        this.launch = launch;
        this.environment = environment;
        this.calibration = calibration;
        this.progress = progress;
    }

    /**
     * What the folder holds at the end: points measured and points failed, this session's and, with
     * --resume, the earlier ones'.
     */
    record Outcome(int measured, int failed) {
        String summary() {
            if (measured == 0) return " (no point was measured; see the reason column)";
            return failed > 0 ? " (" + failed + " point(s) failed; see the reason column)" : "";
        }
    }

    /**
     * The state the loop and the shutdown hook share, under one lock: the hook's stop and the loop's
     * recording of a row exclude each other, so a row is either in the summary before the hook
     * closes it or not at all, and the count the hook reports is the count written.
     */
    static final class RunState {
        /** How long a failed point waits for a stop that may be on its way (see {@link #recordFailure}). */
        static final Duration STOP_WAIT = Duration.ofMillis(500);
        private final Summary summary;
        private final Duration stopWait;
        private int finished;
        private boolean stopping;

        RunState(Summary summary, int finished, Duration stopWait) {
            this.summary = summary;
            this.finished = finished;
            this.stopWait = stopWait;
        }

        synchronized boolean record(PointResult row) throws IOException {
            if (stopping || !summary.append(row)) return false;
            finished++;
            return true;
        }

        /**
         * Ctrl-C in a terminal signals the children too, and they may die a moment before this JVM's
         * shutdown hook runs: a failed point is recorded only if no stop arrives within a short wait,
         * which the hook ends at once, so that an interrupted point is left for --resume. (A dead
         * child does not say whether a signal to the whole group is on its way: a server exits 0 on
         * SIGINT as on SIGTERM, so the wait cannot be kept to the points that died of a signal.)
         */
        synchronized boolean recordFailure(PointResult row) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + stopWait.toNanos();
            for (long left; !stopping && (left = deadline - System.nanoTime()) > 0; ) {
                wait(Math.max(1, left / 1_000_000));
            }
            return record(row);
        }

        /** The hook's side: no row after this one; returns the points written. */
        synchronized int stop() {
            stopping = true;
            notifyAll();
            try {
                summary.close();
            } catch (IOException e) {
                // Each row was flushed when written; nothing is lost by a failed close.
            }
            return finished;
        }

        synchronized int finished() {
            return finished;
        }
    }

    /** Runs every point not yet in the folder. */
    Outcome run() throws IOException, InterruptedException {
        Path dir = config.runDir();
        List<Point> plan = Plan.of(config);
        Map<String, Boolean> done = prepare(dir, plan);
        int measured = (int) done.values().stream().filter(ok -> ok).count();
        int failed = done.size() - measured;
        try (Summary summary = Summary.open(dir)) {
            int total = plan.size();
            RunState state = new RunState(summary, done.size(), RunState.STOP_WAIT);
            Thread hook = Thread.ofPlatform().unstarted(() -> interrupt(state, total));
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                PointRunner runner = new PointRunner(children, launch, config, calibration, syscalls);
                long start = System.nanoTime();
                double plannedDone = 0;
                double plannedLeft = Plan.estimateSeconds(plan, config);
                for (Point p : plan) {
                    double cost = Plan.estimateSeconds(p, config);
                    if (done.containsKey(p.key())) {
                        plannedLeft -= cost;
                        continue;
                    }
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double pace = plannedDone > 0 ? elapsed / plannedDone : 1.0;
                    progress.printf("compare: [%d/%d] %s | elapsed %s | about %s left%n", state.finished() + 1, total,
                            p.describe(config.reps()), clock(elapsed), clock(plannedLeft * pace));
                    PointResult row;
                    try {
                        row = runner.run(p);
                    } catch (Children.StoppedException e) {
                        break;
                    }
                    boolean pointFailed = !row.ok();
                    if (!(pointFailed ? state.recordFailure(row) : state.record(row))) break;
                    plannedDone += cost;
                    plannedLeft -= cost;
                    if (pointFailed) failed++;
                    else measured++;
                    progress.println("compare:     " + outcome(row));
                }
                if (!children.isClosed()) {
                    Files.writeString(dir.resolve(STATUS_FILE), "complete: " + state.finished() + " of " + total + " points\n");
                }
            } finally {
                if (!children.isClosed()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
            return new Outcome(measured, failed);
        }
    }

    /** Shutdown hook (Ctrl-C, SIGTERM): keep what was measured, stop every child, say where the run stopped. */
    private void interrupt(RunState state, int total) {
        int finished = state.stop();
        children.destroyAll(Duration.ofSeconds(5));
        try {
            Files.writeString(config.runDir().resolve(STATUS_FILE),
                    "interrupted after " + finished + " of " + total + " points; add --resume to continue\n");
        } catch (IOException e) {
            // The folder may be gone; nothing else to tell.
        }
        progress.println("compare: interrupted; partial results kept in " + config.runDir());
        progress.flush();
    }

    /**
     * Creates the run folder, or checks that an existing one holds the same plan when resuming.
     * Returns the points already in the folder, by key: true for a point measured, false for one that failed.
     */
    private Map<String, Boolean> prepare(Path dir, List<Point> plan) throws IOException {
        StringBuilder planText = new StringBuilder();
        for (Point p : plan) planText.append(p.key()).append('\n');
        Map<String, Boolean> done = new HashMap<>();
        boolean exists = Files.isDirectory(dir) && !isEmpty(dir);
        if (exists && !config.resume()) {
            throw new UserException(dir + " already holds a run; choose another --out, or add --resume to continue it");
        }
        if (exists) {
            Path planFile = dir.resolve(PLAN_FILE);
            if (!Files.exists(planFile)
                    || !Files.readString(planFile, StandardCharsets.UTF_8).contentEquals(planText)) {
                throw new UserException("cannot resume " + dir + ": it was started with a different matrix"
                        + " (compare its " + PLAN_FILE + "); give the same options, or choose another --out");
            }
            Path summary = dir.resolve(Summary.FILE);
            if (Files.exists(summary)) {
                Summary.Contents contents = Summary.read(summary);
                for (PointResult row : contents.rows()) done.put(row.id().key(), row.ok());
                if (contents.tornRow() != null) {
                    progress.println("compare: the last row of " + summary + " was cut short (a crash while it was"
                            + " written); its point runs again");
                }
            }
            progress.println("compare: resuming " + dir + ": " + done.size() + " of " + plan.size() + " points already done");
            return done;
        }
        if (config.resume()) {
            progress.println("compare: nothing to resume in " + dir + "; starting a new run");
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(PLAN_FILE), planText, StandardCharsets.UTF_8);
            Environment.write(dir, environment);
            Files.writeString(dir.resolve(STATUS_FILE), "running\n");
        } catch (IOException e) {
            throw RunFolder.unwritable(dir, e);
        }
        return done;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static String outcome(PointResult row) {
        if (!row.ok()) return "FAILED: " + row.reason();
        String note = row.reason().isEmpty() ? "" : " (" + row.reason() + ")";
        if (row.idle() != null) {
            IdleMemory m = row.idle();
            return "RSS " + Summary.num(m.rssDeltaPerConnBytes()) + " B/conn, heap "
                    + (m.heapDeltaPerConnBytes() == null ? "n/a" : Summary.num(m.heapDeltaPerConnBytes()) + " B/conn")
                    + note;
        }
        ClientResult c = row.client();
        String client = Boolean.TRUE.equals(row.verdicts().clientLimitSuspect())
                ? String.format(Locale.ROOT, "; the client may have been the limit (late sends %d, busiest client"
                        + " I/O thread %.1f%% of a core)", c.lateSends(), c.busiestIoThreadCpuPercent()) : "";
        String disturbed = Boolean.TRUE.equals(row.noise().disturbed())
                ? String.format(Locale.ROOT, "; DISTURBED: others took %.1f%% and the hypervisor %.1f%% of a core",
                        row.noise().otherCpuPercent(), row.noise().stealCpuPercent()) : "";
        String serverCpu = row.server().cpuPercent() == null ? "?" : Summary.num(row.server().cpuPercent());
        return String.format(Locale.ROOT, "%.1f msg/s, p99 %.1f us, server CPU %s%%", c.throughputMsgsPerS(),
                c.p99Micros(), serverCpu) + client + disturbed + note;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}

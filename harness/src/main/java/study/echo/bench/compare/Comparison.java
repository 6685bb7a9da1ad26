package study.echo.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import study.echo.bench.compare.measure.Environment;
import study.echo.bench.compare.plan.CompareConfig;
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
    private final Children children = new Children();

    Comparison(CompareConfig config, Launch launch, Map<String, Object> environment, PrintStream progress) {
        this.config = config;
        this.launch = launch;
        this.environment = environment;
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

        synchronized boolean record(Map<String, String> row) throws IOException {
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
        synchronized boolean recordFailure(Map<String, String> row) throws IOException, InterruptedException {
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
                PointRunner runner = new PointRunner(children, launch, config);
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
                    Map<String, String> row;
                    try {
                        row = runner.run(p);
                    } catch (Children.StoppedException e) {
                        break;
                    }
                    boolean pointFailed = "failed".equals(row.get("status"));
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
                for (Map<String, String> row : Csv.read(summary)) done.put(keyOf(row), !"failed".equals(row.get("status")));
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

    /** The {@link Point#key()} of a summary row. */
    static String keyOf(Map<String, String> row) {
        String shape = switch (row.get("mode")) {
            case "closed" -> "closed_c" + row.get("connections") + "_s" + row.get("size_bytes");
            case "open" -> "open_c" + row.get("connections") + "_s" + row.get("size_bytes")
                    + "_rate" + row.get("target_rate_msgs_s");
            default -> "idle_c" + row.get("connections");
        };
        return row.get("variant") + "_" + shape + "_r" + row.get("rep");
    }

    private static String outcome(Map<String, String> row) {
        if ("failed".equals(row.get("status"))) return "FAILED: " + row.get("reason");
        String note = row.get("reason").isEmpty() ? "" : " (" + row.get("reason") + ")";
        if ("idle".equals(row.get("mode"))) {
            return "RSS " + row.get("rss_delta_per_conn_bytes") + " B/conn, heap "
                    + (row.get("heap_delta_per_conn_bytes").isEmpty() ? "n/a" : row.get("heap_delta_per_conn_bytes") + " B/conn")
                    + note;
        }
        String client = "true".equals(row.get("client_limit_suspect"))
                ? "; the client may have been the limit (late sends " + row.get("late_sends") + ", client CPU "
                        + row.get("client_cpu_percent") + "%)" : "";
        return row.get("throughput_msgs_s") + " msg/s, p99 " + row.get("p99_us") + " us, server CPU "
                + row.get("server_cpu_percent") + "%" + client + note;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}

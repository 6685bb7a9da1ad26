package study.echo.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import study.echo.bench.compare.measure.PointRunner;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.IdleMemory;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Summary;
import study.echo.client.ClientResult;
import study.echo.common.UserException;

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

    /** Runs every point not yet in the folder; returns how many points failed. */
    int run() throws IOException, InterruptedException {
        Path dir = config.runDir();
        List<Point> plan = Plan.of(config);
        Set<String> done = prepare(dir, plan);
        try (Summary summary = Summary.open(dir)) {
            int total = plan.size();
            int[] finished = {done.size()};
            Thread hook = Thread.ofPlatform().unstarted(() -> interrupt(summary, finished, total));
            Runtime.getRuntime().addShutdownHook(hook);
            int failed = 0;
            try {
                PointRunner runner = new PointRunner(children, launch, config);
                long start = System.nanoTime();
                double plannedDone = 0;
                double plannedLeft = Plan.estimateSeconds(plan, config);
                for (Point p : plan) {
                    double cost = Plan.estimateSeconds(p, config);
                    if (done.contains(p.key())) {
                        plannedLeft -= cost;
                        continue;
                    }
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double pace = plannedDone > 0 ? elapsed / plannedDone : 1.0;
                    progress.printf("compare: [%d/%d] %s | elapsed %s | about %s left%n", finished[0] + 1, total,
                            p.describe(config.reps()), clock(elapsed), clock(plannedLeft * pace));
                    PointResult row;
                    try {
                        row = runner.run(p);
                    } catch (Children.StoppedException e) {
                        break;
                    }
                    if (!row.ok()) {
                        // Ctrl-C in a terminal signals the children too, and they may die a moment before
                        // the shutdown hook closes the summary: give the hook time, so that an interrupted
                        // point is left for --resume instead of being recorded as failed.
                        Thread.sleep(500);
                    }
                    if (children.isClosed() || !summary.append(row)) break;
                    finished[0]++;
                    plannedDone += cost;
                    plannedLeft -= cost;
                    if (!row.ok()) failed++;
                    progress.println("compare:     " + outcome(row));
                }
                if (!children.isClosed()) {
                    Files.writeString(dir.resolve(STATUS_FILE), "complete: " + finished[0] + " of " + total + " points\n");
                }
            } finally {
                if (!children.isClosed()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
            return failed;
        }
    }

    /** Shutdown hook (Ctrl-C, SIGTERM): keep what was measured, stop every child, say where the run stopped. */
    private void interrupt(Summary summary, int[] finished, int total) {
        try {
            summary.close();
        } catch (IOException e) {
            // Each row was flushed when written; nothing is lost by a failed close.
        }
        children.destroyAll(Duration.ofSeconds(5));
        try {
            Files.writeString(config.runDir().resolve(STATUS_FILE),
                    "interrupted after " + finished[0] + " of " + total + " points; add --resume to continue\n");
        } catch (IOException e) {
            // The folder may be gone; nothing else to tell.
        }
        progress.println("compare: interrupted; partial results kept in " + config.runDir());
        progress.flush();
    }

    /**
     * Creates the run folder, or checks that an existing one holds the same plan when resuming.
     * Returns the keys of the points already measured.
     */
    private Set<String> prepare(Path dir, List<Point> plan) throws IOException {
        StringBuilder planText = new StringBuilder();
        for (Point p : plan) planText.append(p.key()).append('\n');
        Set<String> done = new HashSet<>();
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
                for (PointResult row : contents.rows()) done.add(row.id().key());
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
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PLAN_FILE), planText, StandardCharsets.UTF_8);
        Environment.write(dir, environment);
        Files.writeString(dir.resolve(STATUS_FILE), "running\n");
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
                ? String.format(Locale.ROOT, "; the client may have been the limit (late sends %d, client CPU %.1f%%)",
                        c.lateSends(), c.clientCpuPercent()) : "";
        String serverCpu = row.server().cpuPercent() == null ? "?" : Summary.num(row.server().cpuPercent());
        return String.format(Locale.ROOT, "%.1f msg/s, p99 %.1f us, server CPU %s%%", c.throughputMsgsPerS(),
                c.p99Micros(), serverCpu) + client + note;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}

package study.echo.bench.compare.plan;

import java.util.ArrayList;
import java.util.List;
import study.echo.client.ArrivalPattern;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/**
 * The order points run in. Variants take turns point by point (A B C A B C ...), and each repetition
 * starts with the next variant, so that drift on a shared machine spreads over all of them instead of
 * landing on one. A variant runs at a work only where {@link Applicability} says so.
 */
public final class Plan {
    /**
     * Seconds a point costs beyond ramp, warm-up and duration: two JVM starts, connect, stop. The full
     * profile's reference run (20261201T084513Z, 357 points) took 46 min 37 s against 53 min 36 s planned
     * with this figure, so it errs long by about 1.2 s a point, which the workloads profile keeps as margin.
     */
    private static final double OVERHEAD_S = 2.5;

    private Plan() {}

    public static List<Point> of(CompareConfig c) {
        List<Point> points = new ArrayList<>();
        List<Variant> variants = c.variants();
        for (int rep = 1; rep <= c.reps(); rep++) {
            List<Variant> order = rotate(variants, rep - 1);
            for (int size : c.sizesBytes()) {
                for (WorkSpec work : c.works()) {
                    for (int conns : c.closedConnections()) {
                        for (Variant v : order) add(points, new Point(v, Point.Mode.CLOSED, conns, size, 0, rep, work));
                    }
                }
            }
            for (int conns : c.openConnections()) {
                for (int size : c.openSizesBytes()) {
                    for (WorkSpec work : c.openWorks()) {
                        for (ArrivalPattern arrivals : c.arrivals()) {
                            for (int rate : c.ratesMsgsPerSec()) {
                                for (Variant v : order) {
                                    add(points, new Point(v, Point.Mode.OPEN, conns, size, rate, rep, work, arrivals));
                                }
                            }
                        }
                    }
                }
            }
            if (c.idleConnections() > 0) {
                for (Variant v : order) add(points, new Point(v, Point.Mode.IDLE, c.idleConnections(), 0, 0, rep));
            }
            for (int idle : c.idleWithActive()) {
                for (Variant v : order) {
                    add(points, new Point(v, Point.Mode.CLOSED, c.activeConnections(), c.amongIdleSizeBytes(), 0, rep,
                            WorkSpec.NONE, ArrivalPattern.EVEN, idle));
                }
                if (c.activeRateMsgsPerSec() == 0) continue;
                for (Variant v : order) {
                    add(points, new Point(v, Point.Mode.OPEN, c.activeConnections(), c.amongIdleSizeBytes(),
                            c.activeRateMsgsPerSec(), rep, WorkSpec.NONE, ArrivalPattern.EVEN, idle));
                }
            }
        }
        return points;
    }

    private static void add(List<Point> points, Point p) {
        if (Applicability.of(p.variant(), p.work(), p.connections()) == Applicability.RUNS) points.add(p);
    }

    /**
     * The load shapes (first repetition) at which a chosen variant is not applicable, each as one line
     * for the dry run and the run's notes, e.g. {@code native closed 100 conns 64 B work wait:1ms: not
     * applicable: native implements no wait}.
     */
    public static List<String> notApplicable(CompareConfig c) {
        List<String> out = new ArrayList<>();
        for (Variant v : c.variants()) {
            for (int size : c.sizesBytes()) {
                for (WorkSpec work : c.works()) {
                    for (int conns : c.closedConnections()) {
                        notApplicable(out, new Point(v, Point.Mode.CLOSED, conns, size, 0, 1, work));
                    }
                }
            }
            for (int conns : c.openConnections()) {
                for (int size : c.openSizesBytes()) {
                    for (WorkSpec work : c.openWorks()) {
                        for (int rate : c.ratesMsgsPerSec()) {
                            notApplicable(out, new Point(v, Point.Mode.OPEN, conns, size, rate, 1, work));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void notApplicable(List<String> out, Point p) {
        if (Applicability.of(p.variant(), p.work(), p.connections()) == Applicability.NOT_APPLICABLE) {
            String d = p.describe(1);
            out.add(d.substring(0, d.length() - " rep 1/1".length()) + ": "
                    + Applicability.why(p.variant(), p.work(), p.connections()));
        }
    }

    private static List<Variant> rotate(List<Variant> variants, int by) {
        List<Variant> out = new ArrayList<>(variants.size());
        for (int i = 0; i < variants.size(); i++) out.add(variants.get((i + by) % variants.size()));
        return out;
    }

    /** The planned cost of a point in seconds, for the estimate of time left. */
    public static double estimateSeconds(Point p, CompareConfig c) {
        // The idle connections of an active-among-idle point open first at the same rate, and each echoes
        // one byte more at the end, about as fast as the memory probe's echoed connects.
        double ramp = (double) p.totalConnections() / c.connectRatePerSec();
        double idleCheck = (p.totalConnections() - p.connections()) / 5000.0;
        if (p.mode() == Point.Mode.IDLE) {
            // Two settles, two jcmd runs, and about 5,000 echoed connects per second.
            return OVERHEAD_S + 2 + 1.5 + p.connections() / 5000.0;
        }
        // A server stopped mid-request finishes (or abandons) the request it is in: at most one work's time.
        double drain = (p.work().cpuTime().toNanos() + p.work().waitTime().toNanos()) / 1e9;
        return OVERHEAD_S + ramp + idleCheck + c.warmup().toMillis() / 1000.0 + c.duration().toMillis() / 1000.0 + drain;
    }

    /** The planned time of a run: every point, and the harness's one CPU-work calibration when there is work. */
    public static double estimateSeconds(List<Point> points, CompareConfig c) {
        double s = points.stream().anyMatch(p -> p.work().hasCpu()) ? CALIBRATION_S : 0;
        for (Point p : points) s += estimateSeconds(p, c);
        return s;
    }

    /** The harness's calibration of the CPU work, once per run (Calibration: 7 timed runs and a warm-up). */
    private static final double CALIBRATION_S = 2;
}

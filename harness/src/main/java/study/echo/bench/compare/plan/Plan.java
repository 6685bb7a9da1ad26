package study.echo.bench.compare.plan;

import java.util.ArrayList;
import java.util.List;
import study.echo.bench.compare.plan.CompareConfig;
import study.echo.launch.Variant;

/**
 * The order points run in. Variants take turns point by point (A B C A B C ...), and each repetition
 * starts with the next variant, so that drift on a shared machine spreads over all of them instead of
 * landing on one.
 */
public final class Plan {
    /** Seconds a point costs beyond warm-up and duration: two JVM starts, connect, stop (measured on 2 cores). */
    private static final double OVERHEAD_S = 2.5;

    private Plan() {}

    public static List<Point> of(CompareConfig c) {
        List<Point> points = new ArrayList<>();
        List<Variant> variants = c.variants();
        for (int rep = 1; rep <= c.reps(); rep++) {
            List<Variant> order = rotate(variants, rep - 1);
            for (int size : c.sizesBytes()) {
                for (int conns : c.closedConnections()) {
                    for (Variant v : order) points.add(new Point(v, Point.Mode.CLOSED, conns, size, 0, rep));
                }
            }
            for (int conns : c.openConnections()) {
                for (int size : c.openSizesBytes()) {
                    for (int rate : c.ratesMsgsPerSec()) {
                        for (Variant v : order) points.add(new Point(v, Point.Mode.OPEN, conns, size, rate, rep));
                    }
                }
            }
            if (c.idleConnections() > 0) {
                for (Variant v : order) points.add(new Point(v, Point.Mode.IDLE, c.idleConnections(), 0, 0, rep));
            }
        }
        return points;
    }

    private static List<Variant> rotate(List<Variant> variants, int by) {
        List<Variant> out = new ArrayList<>(variants.size());
        for (int i = 0; i < variants.size(); i++) out.add(variants.get((i + by) % variants.size()));
        return out;
    }

    /** The planned cost of a point in seconds, for the estimate of time left. */
    public static double estimateSeconds(Point p, CompareConfig c) {
        double ramp = (double) p.connections() / c.connectRatePerSec();
        if (p.mode() == Point.Mode.IDLE) {
            // Two settles, two jcmd runs, and about 5,000 echoed connects per second.
            return OVERHEAD_S + 2 + 1.5 + p.connections() / 5000.0;
        }
        return OVERHEAD_S + ramp + c.warmup().toMillis() / 1000.0 + c.duration().toMillis() / 1000.0;
    }

    public static double estimateSeconds(List<Point> points, CompareConfig c) {
        double s = 0;
        for (Point p : points) s += estimateSeconds(p, c);
        return s;
    }
}

package study.echo.bench.compare.report;

import java.util.List;
import study.echo.bench.compare.results.PointResult;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/**
 * The rules of the crossover map, in one place: Little's bound of a closed-loop point, the best selector
 * variant at a point, loom-virtual's ratio to it, and which design wins a cell. The report's tables and
 * charts only apply them.
 */
public final class Crossover {
    /** The design the map is about. */
    public static final String LOOM = "loom-virtual";
    /**
     * The selector designs loom-virtual is set against: the plain loop (CPU work on the loop; a wait only
     * where {@code Applicability} lets the blocked loop run) and the two offloading ones.
     */
    public static final List<String> SELECTORS = List.of("selector-1", Variant.OFFLOAD_PLATFORM, Variant.OFFLOAD_VIRTUAL);
    /**
     * Ratios within 10% either way are a tie: one repetition on a shared 2-core machine moves a point by
     * about that much (the full profile's min-max ranges at 100 connections and above).
     */
    public static final double TIE_RATIO = 1.10;

    private Crossover() {}

    /**
     * Little's law for a closed loop with one request in flight per connection: no server can answer more
     * than {@code connections / (wait + cpu)} messages per second; NaN when the work takes no time.
     */
    public static double littlesBoundMsgsPerSec(int connections, WorkSpec work) {
        double seconds = (work.cpuTime().toNanos() + work.waitTime().toNanos()) / 1e9;
        return seconds > 0 ? connections / seconds : Double.NaN;
    }

    /** A variant's median of one figure at one point. */
    public record Best(String variant, double median) {}

    /**
     * The best of the {@link #SELECTORS} at one point ({@code at}: the measured rows of one load shape):
     * the highest median of {@code metric} when {@code higherIsBetter}, else the lowest; null when none ran.
     */
    public static Best bestSelector(List<PointResult> at, Report.Metric metric, boolean higherIsBetter) {
        Best best = null;
        for (String v : SELECTORS) {
            Stats s = Report.stats(at, v, metric, 1);
            if (s == null) continue;
            boolean better = best == null || (higherIsBetter ? s.median() > best.median() : s.median() < best.median());
            if (better) best = new Best(v, s.median());
        }
        return best;
    }

    /**
     * loom-virtual's median over the best selector's at one point: above 1 loom-virtual serves more (for
     * throughput) or waits longer (for p99). Each figure is compared with the selector best at it.
     */
    public record Ratio(double ratio, Best selector) {}

    /** loom-virtual against the best selector at one point; null when either did not run there. */
    public static Ratio ratio(List<PointResult> at, Report.Metric metric, boolean higherIsBetter) {
        Stats loom = Report.stats(at, LOOM, metric, 1);
        Best best = bestSelector(at, metric, higherIsBetter);
        if (loom == null || best == null || best.median() <= 0) return null;
        return new Ratio(loom.median() / best.median(), best);
    }

    /**
     * Which design serves a cell better, by throughput: loom-virtual when its ratio is at least
     * {@link #TIE_RATIO}, the best selector when it is at most 1 / {@link #TIE_RATIO}, else a tie.
     */
    public static String winner(Ratio throughput) {
        if (throughput.ratio() >= TIE_RATIO) return LOOM;
        if (throughput.ratio() <= 1 / TIE_RATIO) return throughput.selector().variant();
        return "tie";
    }

    /** The winner's advantage as a factor of at least 1 (loom-virtual's ratio, or its inverse for a selector). */
    public static double advantage(Ratio throughput) {
        return throughput.ratio() >= 1 ? throughput.ratio() : 1 / throughput.ratio();
    }
}

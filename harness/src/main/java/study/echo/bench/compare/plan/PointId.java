package study.echo.bench.compare.plan;

import study.echo.client.ArrivalPattern;
import study.echo.common.work.WorkSpec;

/**
 * What identifies a point of a run, by name only: the variant's name, the load shape and the
 * repetition. A {@link Point} has one, and so has every summary row read back, so the one key rule
 * below serves the plan, the file names, {@code --resume} and the report alike.
 *
 * @param sizeBytes message size, 0 for an idle point
 * @param rateMsgsPerSec offered load of an open-loop point, 0 otherwise
 * @param rep repetition, from 1
 * @param work what the server does per request; {@link WorkSpec#NONE} for the echo (and every idle point)
 * @param arrivals the shape of an open-loop point's sends; {@link ArrivalPattern#EVEN} for every other point
 * @param idleHeld at an active-among-idle point ({@code --idle-with-active}), the idle connections the server
 *     holds besides the {@code connections} active ones, 0 or more; null at every other point
 */
public record PointId(String variant, Point.Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep,
                      WorkSpec work, ArrivalPattern arrivals, Integer idleHeld) {

    public PointId {
        if (work == null) work = WorkSpec.NONE;
        if (arrivals == null || mode != Point.Mode.OPEN) arrivals = ArrivalPattern.EVEN;
        if (mode == Point.Mode.IDLE) idleHeld = null;
    }

    public PointId(String variant, Point.Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep,
                   WorkSpec work, ArrivalPattern arrivals) {
        this(variant, mode, connections, sizeBytes, rateMsgsPerSec, rep, work, arrivals, null);
    }

    public PointId(String variant, Point.Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep,
                   WorkSpec work) {
        this(variant, mode, connections, sizeBytes, rateMsgsPerSec, rep, work, ArrivalPattern.EVEN);
    }

    /** A point of the plain echo, as every run before --work had. */
    public PointId(String variant, Point.Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep) {
        this(variant, mode, connections, sizeBytes, rateMsgsPerSec, rep, WorkSpec.NONE, ArrivalPattern.EVEN);
    }

    /**
     * The seed of a {@code poisson} schedule: the same for every variant at one load shape and repetition, so
     * that the variants of a point answer the same sends; different between repetitions.
     */
    public long arrivalsSeed() {
        return 31L * (mode + "_c" + connections + "_s" + sizeBytes + "_rate" + rateMsgsPerSec).hashCode() + rep;
    }

    /** Identifies the point in summary.csv (to resume a run) and names its files. */
    public String key() {
        return variant + "_" + shape() + "_r" + rep;
    }

    /**
     * The load shape without variant and repetition, e.g. {@code closed_c100_s64}, or
     * {@code closed_c100_s64_cpu10us-wait1ms} with work, {@code open_c100_s64_rate20000_poisson} with
     * other than even arrivals, {@code closed_c100_s64_idle10000} among 10,000 idle connections. The echo's shape has no work part and even sends no arrivals part, so the
     * keys of runs from before --work and --arrivals are unchanged and {@code --resume} and the report
     * still find their points.
     */
    public String shape() {
        String load = switch (mode) {
            case CLOSED -> "closed_c" + connections + "_s" + sizeBytes;
            case OPEN -> "open_c" + connections + "_s" + sizeBytes + "_rate" + rateMsgsPerSec
                    + (arrivals.equals(ArrivalPattern.EVEN) ? "" : "_" + arrivals.label().replace(":", ""));
            case IDLE -> "idle_c" + connections;
        };
        String withWork = work.isNone() ? load : load + "_" + fileLabel(work);
        return idleHeld == null ? withWork : withWork + "_idle" + idleHeld;
    }

    /** Whether the server holds idle connections besides the active ones here ({@code --idle-with-active}). */
    public boolean amongIdle() {
        return idleHeld != null;
    }

    /** The work in a form safe in a file name: {@code cpu:10us+wait:1ms} is {@code cpu10us-wait1ms}. */
    public static String fileLabel(WorkSpec work) {
        return work.toString().replace(":", "").replace("+", "-");
    }
}

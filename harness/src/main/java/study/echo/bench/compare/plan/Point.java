package study.echo.bench.compare.plan;

import study.echo.client.ArrivalPattern;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/**
 * One measured point of a run: a variant, a load shape and a repetition. One server process and one
 * client process serve exactly one point.
 *
 * @param mode {@link Mode#CLOSED} (pipeline 1, maximum throughput), {@link Mode#OPEN} (constant
 *     offered load) or {@link Mode#IDLE} (idle connections, memory per connection)
 * @param rateMsgsPerSec offered load of an open-loop point, 0 otherwise
 * @param rep repetition, from 1
 * @param work what the server does per request; {@link WorkSpec#NONE} for the echo
 * @param arrivals the shape of an open-loop point's sends; {@link ArrivalPattern#EVEN} for every other point
 * @param idleHeld idle connections held besides the active ones, see {@link PointId#idleHeld()}; null for none
 */
public record Point(Variant variant, Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep,
                    WorkSpec work, ArrivalPattern arrivals, Integer idleHeld) {

    public Point {
        if (work == null) work = WorkSpec.NONE;
        if (arrivals == null || mode != Mode.OPEN) arrivals = ArrivalPattern.EVEN;
        if (mode == Mode.IDLE) idleHeld = null;
    }

    public Point(Variant variant, Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep, WorkSpec work,
                 ArrivalPattern arrivals) {
        this(variant, mode, connections, sizeBytes, rateMsgsPerSec, rep, work, arrivals, null);
    }

    public Point(Variant variant, Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep, WorkSpec work) {
        this(variant, mode, connections, sizeBytes, rateMsgsPerSec, rep, work, ArrivalPattern.EVEN);
    }

    public Point(Variant variant, Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep) {
        this(variant, mode, connections, sizeBytes, rateMsgsPerSec, rep, WorkSpec.NONE, ArrivalPattern.EVEN);
    }

    public enum Mode {
        CLOSED, OPEN, IDLE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The mode of a {@link #label()}; null for any other text. */
        public static Mode ofLabel(String label) {
            for (Mode m : values()) if (m.label().equals(label)) return m;
            return null;
        }
    }

    public PointId id() {
        return new PointId(variant.name(), mode, connections, sizeBytes, rateMsgsPerSec, rep, work, arrivals, idleHeld);
    }

    /** Every connection the server holds: the active ones and, among idle ones, those. */
    public int totalConnections() {
        return connections + (idleHeld == null ? 0 : idleHeld);
    }

    /** See {@link PointId#key()}. */
    public String key() {
        return id().key();
    }

    /** For the progress line, e.g. {@code loom-virtual open 100 conns 64 B 20000 msg/s rep 2}. */
    public String describe(int reps) {
        String load = switch (mode) {
            case CLOSED -> "closed " + connections + " conns " + sizeBytes + " B";
            case OPEN -> "open " + connections + " conns " + sizeBytes + " B " + rateMsgsPerSec + " msg/s"
                    + (arrivals.equals(ArrivalPattern.EVEN) ? "" : " " + arrivals.label());
            case IDLE -> "memory, " + connections + " idle conns";
        };
        return variant.name() + " " + load + (work.isNone() ? "" : " work " + work)
                + (idleHeld == null ? "" : " among " + idleHeld + " idle") + " rep " + rep + "/" + reps;
    }
}

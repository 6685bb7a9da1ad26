package study.echo.bench.compare.plan;

/**
 * What identifies a point of a run, by name only: the variant's name, the load shape and the
 * repetition. A {@link Point} has one, and so has every summary row read back, so the one key rule
 * below serves the plan, the file names, {@code --resume} and the report alike.
 *
 * @param sizeBytes message size, 0 for an idle point
 * @param rateMsgsPerSec offered load of an open-loop point, 0 otherwise
 * @param rep repetition, from 1
 */
public record PointId(String variant, Point.Mode mode, int connections, int sizeBytes, int rateMsgsPerSec, int rep) {

    /** Identifies the point in summary.csv (to resume a run) and names its files. */
    public String key() {
        return variant + "_" + shape() + "_r" + rep;
    }

    /** The load shape without variant and repetition, e.g. {@code closed_c100_s64}. */
    public String shape() {
        return switch (mode) {
            case CLOSED -> "closed_c" + connections + "_s" + sizeBytes;
            case OPEN -> "open_c" + connections + "_s" + sizeBytes + "_rate" + rateMsgsPerSec;
            case IDLE -> "idle_c" + connections;
        };
    }
}

package study.echo.bench.compare.report;

import java.util.List;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.PointResult;

/**
 * The report's section "Active among idle connections" ({@code --idle-with-active}): per variant, throughput,
 * server CPU per message and p99 of the active connections against the idle ones the server holds.
 */
final class AmongIdle {
    static final String TITLE = "Active among idle connections";

    private AmongIdle() {}

    /** The measured active-among-idle rows of one mode. */
    static List<PointResult> rows(List<PointResult> rows, Point.Mode mode) {
        return rows.stream().filter(r -> r.ok() && r.id().amongIdle() && r.id().mode() == mode && r.client() != null)
                .toList();
    }

    /** The variants, in the report's order, that have a row here. */
    static List<String> variants(List<PointResult> among, List<String> variants) {
        return variants.stream().filter(v -> among.stream().anyMatch(r -> v.equals(r.id().variant()))).toList();
    }

    static void section(StringBuilder md, List<PointResult> rows, List<String> allVariants) {
        List<PointResult> among = rows(rows, Point.Mode.CLOSED);
        List<PointResult> open = rows(rows, Point.Mode.OPEN);
        if (among.isEmpty() && open.isEmpty()) return;
        List<PointResult> all = new java.util.ArrayList<>(among);
        all.addAll(open);
        List<String> variants = variants(among, allVariants);
        List<Integer> active = Report.ints(all, r -> r.id().connections());
        List<Integer> sizes = Report.ints(all, r -> r.id().sizeBytes());
        md.append("### ").append(TITLE).append("\n\n");
        md.append(String.join(", ", active.stream().map(Report::thousands).toList()))
                .append(" active connections in the closed loop (pipeline 1")
                .append(open.isEmpty() ? "" : ", and in the open loop below")
                .append(", ")
                .append(String.join(", ", sizes.stream().map(String::valueOf).toList()))
                .append(" B) while the server also holds the idle connections of each row, opened first, each echoing "
                        + "one byte, and checked again at the end. What to read: a poll(2) Selector (selector-poll) scans "
                        + "every registered descriptor on every select, so its CPU per message grows with the idle "
                        + "connections where epoll's stays flat; a thread per connection (loom-platform) keeps a kernel "
                        + "thread per idle connection, a virtual thread (loom-virtual) only a parked continuation.\n\n");
        if (!among.isEmpty()) {
            table(md, among, variants, "throughput, messages per second", Report.THROUGHPUT, 1);
            table(md, among, variants, "server CPU per message, µs", Report.SERVER_CPU_PER_1000, 1000);
            table(md, among, variants, "p99 latency, µs", Report.P99, 1);
        }
        for (int rate : Report.ints(open, r -> r.id().rateMsgsPerSec())) {
            List<PointResult> at = open.stream().filter(r -> r.id().rateMsgsPerSec() == rate).toList();
            String load = "open loop at " + Report.thousands(rate) + " msg/s, ";
            table(md, at, variants(at, allVariants), load + "p99 latency from the intended send time, µs", Report.P99, 1);
            table(md, at, variants(at, allVariants), load + "server CPU per message, µs", Report.SERVER_CPU_PER_1000, 1000);
        }
    }

    private static void table(StringBuilder md, List<PointResult> among, List<String> variants, String what,
                              Report.Metric metric, double scale) {
        md.append("**").append(TITLE).append(": ").append(what).append("**\n\n| idle connections |");
        for (String v : variants) md.append(' ').append(v).append(" |");
        md.append("\n|---|");
        for (int i = 0; i < variants.size(); i++) md.append("---|");
        md.append('\n');
        for (int idle : Report.ints(among, r -> r.id().idleHeld())) {
            List<PointResult> at = among.stream().filter(r -> r.id().idleHeld() == idle).toList();
            md.append("| ").append(Report.thousands(idle)).append(" |");
            for (String v : variants) {
                Stats s = Report.stats(at, v, metric, scale);
                md.append(' ').append(s == null ? "–" : s.cell()).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }
}

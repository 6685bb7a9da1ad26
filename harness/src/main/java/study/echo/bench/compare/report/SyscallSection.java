package study.echo.bench.compare.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import study.echo.bench.compare.measure.SyscallCounter;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.SyscallCounts;

/**
 * The report's "System calls and context switches per message" section: what {@code --syscalls} counted
 * on the server over each measured window, per variant, closed loop by connections and open loop by
 * rate. A run that recorded no counter (from before {@code --syscalls}) gets no section; one that could
 * not count gets one line saying why and how to count.
 */
final class SyscallSection {
    /** A call is listed in the by-call table where some variant makes at least this many per message. */
    private static final double SHOWN_CALL_PER_MSG = 0.01;

    private static final Report.Metric SYSCALLS = r -> r.syscalls() == null ? null : r.syscalls().syscallsPerMsg();
    private static final Report.Metric SWITCHES = r -> r.syscalls() == null ? null : r.syscalls().ctxSwitchesPerMsg();

    private final List<PointResult> rows;
    private final List<String> variants;
    private final JsonNode counterJson;

    SyscallSection(List<PointResult> rows, List<String> variants, JsonNode env) {
        this.rows = rows;
        this.variants = variants;
        this.counterJson = env.path(SyscallCounter.KEY);
    }

    void write(StringBuilder md) {
        List<PointResult> counted = rows.stream().filter(r -> r.ok() && r.syscalls() != null
                && !SyscallCounts.NONE.equals(r.syscalls().counter())).toList();
        if (counted.isEmpty() && counterJson.isMissingNode()) return;
        md.append("### System calls and context switches per message\n\n");
        if (counted.isEmpty()) {
            String note = counterJson.path("note").asText("");
            md.append(note.isEmpty() ? "System calls and context switches were not counted in this run." : capitalised(note) + ".")
                    .append(" The context switches per 1,000 messages above come from /proc and need no counter.\n\n");
            return;
        }
        Set<String> counters = new LinkedHashSet<>();
        for (PointResult r : counted) counters.add(r.syscalls().counter());
        md.append("Counted on the server by ").append(String.join(" and ", counters)).append(" over each point's measured"
                + " window and divided by the messages the client counted in it; each cell is the median over the"
                + " repetitions with the range in brackets. These are the evidence for why a design costs what it does:"
                + " a Selector loop makes about one read and one write a message and shares each wait among every ready"
                + " socket, a virtual thread's read that finds nothing parks it and re-arms the JDK's poller"
                + " (`epoll_ctl`), and a platform thread sleeps in the kernel at every read (a context switch).\n\n");
        if (counters.contains(SyscallCounts.STRACE)) {
            md.append("**Points counted with strace are distorted**: strace stops the server at every system call, so"
                    + " their throughput, latency and CPU are not the design's own, and it counts no context switches.\n\n");
        }
        List<PointResult> closed = Report.okRows(counted, Point.Mode.CLOSED);
        if (!closed.isEmpty()) {
            table(md, "Closed loop: system calls per message", closed, SYSCALLS, false);
            table(md, "Closed loop: context switches per message", closed, SWITCHES, false);
            byCallTable(md, closed);
        }
        List<PointResult> open = Report.okRows(counted, Point.Mode.OPEN);
        if (!open.isEmpty()) {
            table(md, "Open loop: system calls per message, by offered load", open, SYSCALLS, true);
            table(md, "Open loop: context switches per message, by offered load", open, SWITCHES, true);
        }
        notCounted(md);
    }

    /** One row per load shape (size, work, connections, and for the open loop arrivals and rate), a column per variant. */
    private void table(StringBuilder md, String title, List<PointResult> at, Report.Metric metric, boolean open) {
        md.append("#### ").append(title).append("\n\n");
        md.append(open ? "| size, B | work | connections | arrivals | offered, msg/s |" : "| size, B | work | connections |");
        for (String v : variants) md.append(' ').append(v).append(" |");
        md.append("\n|").append("---|".repeat((open ? 5 : 3) + variants.size())).append('\n');
        for (List<PointResult> shape : shapes(at, open)) {
            PointResult first = shape.get(0);
            md.append("| ").append(first.id().sizeBytes()).append(" | ").append(first.id().work()).append(" | ")
                    .append(Report.thousands(first.id().connections())).append(" |");
            if (open) {
                md.append(' ').append(first.id().arrivals().label()).append(" | ")
                        .append(Report.thousands(first.id().rateMsgsPerSec())).append(" |");
            }
            for (String v : variants) {
                Stats s = Report.stats(shape, v, metric, 1);
                md.append(' ').append(s == null ? "–" : s.cell()).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** The calls that tell the designs apart, per message, at each closed-loop shape. */
    private void byCallTable(StringBuilder md, List<PointResult> closed) {
        List<String> calls = new ArrayList<>();
        for (PointResult r : closed) {
            r.syscalls().byCallPerMsg().forEach((call, perMsg) -> {
                if (perMsg >= SHOWN_CALL_PER_MSG && !calls.contains(call)) calls.add(call);
            });
        }
        if (calls.isEmpty()) return;
        md.append("#### Closed loop: calls per message, by call\n\n| size, B | work | connections | call |");
        for (String v : variants) md.append(' ').append(v).append(" |");
        md.append("\n|").append("---|".repeat(4 + variants.size())).append('\n');
        for (List<PointResult> shape : shapes(closed, false)) {
            PointResult first = shape.get(0);
            for (String call : calls) {
                md.append("| ").append(first.id().sizeBytes()).append(" | ").append(first.id().work()).append(" | ")
                        .append(Report.thousands(first.id().connections())).append(" | `").append(call).append("` |");
                for (String v : variants) {
                    Stats s = Report.stats(shape, v, r -> r.syscalls().byCallPerMsg().get(call), 1);
                    md.append(' ').append(s == null ? "–" : s.cell()).append(" |");
                }
                md.append('\n');
            }
        }
        md.append('\n');
    }

    /** The measured points whose counter failed, with the reason their row gives. */
    private void notCounted(StringBuilder md) {
        List<PointResult> missed = rows.stream().filter(r -> r.ok() && r.syscalls() != null
                && !SyscallCounts.NONE.equals(r.syscalls().counter()) && r.syscalls().syscallsPerMsg() == null).toList();
        if (missed.isEmpty()) return;
        md.append("Not counted at ").append(missed.size()).append(" point(s):\n\n");
        for (PointResult r : missed) {
            String why = r.reason().isEmpty() ? "no reason recorded" : r.reason();
            md.append("- ").append(r.id().key()).append(": ").append(why).append('\n');
        }
        md.append('\n');
    }

    /** The rows of each load shape, in the order of size, work, connections (and arrivals, rate). */
    private static List<List<PointResult>> shapes(List<PointResult> at, boolean open) {
        java.util.Map<List<Object>, List<PointResult>> byShape = new java.util.TreeMap<>(SyscallSection::compareKeys);
        for (PointResult r : at) {
            List<Object> key = open
                    ? List.of(r.id().sizeBytes(), r.id().work().toString(), r.id().connections(), r.id().arrivals().label(),
                            r.id().rateMsgsPerSec())
                    : List.of(r.id().sizeBytes(), r.id().work().toString(), r.id().connections());
            byShape.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        return List.copyOf(byShape.values());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) return c;
        }
        return 0;
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

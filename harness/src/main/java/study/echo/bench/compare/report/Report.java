package study.echo.bench.compare.report;

import study.echo.bench.compare.results.Csv;
import study.echo.bench.compare.results.Summary;
import study.echo.bench.compare.measure.PointRunner;
import study.echo.bench.compare.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import study.echo.common.UserException;

/**
 * Turns a run folder into {@code report.md} (the Markdown results section: medians with min–max over
 * repetitions) and the charts. Reads only summary.csv, environment.json and the .hlog files, so
 * it regenerates the same tables from the same folder.
 */
public final class Report {
    public static final String FILE = "report.md";
    private static final List<String> STANDARD_ORDER =
            List.of("selector-1", "selector-N", "loom-virtual", "loom-platform", "native");

    private final Path runDir;
    private final List<Map<String, String>> rows;
    private final Map<String, Object> env;
    private final List<String> variants;

    public record Result(Path markdown, int charts) {}

    public Report(Path runDir) throws IOException {
        this.runDir = runDir;
        Path summary = runDir.resolve(Summary.FILE);
        if (!Files.isRegularFile(summary)) throw new UserException("no " + Summary.FILE + " in " + runDir + "; is it a run folder?");
        this.rows = Csv.read(summary);
        for (String column : List.of("variant", "mode", "status", "connections")) {
            if (!rows.isEmpty() && !rows.get(0).containsKey(column)) {
                throw new UserException(summary + " has no '" + column + "' column; is it a comparison summary?");
            }
        }
        this.env = Environment.read(runDir);
        Set<String> names = new LinkedHashSet<>();
        for (String s : STANDARD_ORDER) if (rows.stream().anyMatch(r -> s.equals(r.get("variant")))) names.add(s);
        for (Map<String, String> r : rows) names.add(r.get("variant"));
        this.variants = List.copyOf(names);
    }

    public Result write() throws IOException {
        List<Chart> charts = new Charts(runDir, rows, variants, sloMicros()).drawAll();
        String md = markdown(charts);
        Path file = runDir.resolve(FILE);
        Files.writeString(file, md, StandardCharsets.UTF_8);
        return new Result(file, charts.size());
    }

    /** A chart file (relative to the run folder, without extension) and its caption. */
    public record Chart(String file, String caption) {}

    public String markdown(List<Chart> charts) {
        StringBuilder md = new StringBuilder();
        md.append("## Results: ").append(envText("profile")).append(" profile, ").append(envText("date_utc")).append("\n\n");
        md.append(environmentLine()).append("\n\n");
        md.append("Each cell is the median over the repetitions, with the range (min–max) in brackets when they differ. "
                + "Failed points are listed at the end and left out of the medians.\n\n");

        List<Map<String, String>> closed = ok("closed");
        if (!closed.isEmpty()) {
            closedTable(md, closed, "Closed loop (pipeline 1): throughput, messages per second", "throughput_msgs_s", 1);
            closedTable(md, closed, "Closed loop: p99 latency, µs", "p99_us", 1);
            closedTable(md, closed, "Closed loop: server CPU per message, µs (= CPU ms per 1,000 messages)",
                    "server_cpu_s_per_1000_msgs", 1000);
            closedTable(md, closed, "Closed loop: server context switches per 1,000 messages",
                    "server_ctx_switches_per_1000_msgs", 1);
            closedTable(md, closed, "Closed loop: server threads", "server_threads_max", 1);
            closedTable(md, closed, "Closed loop: server peak RSS, MiB", "server_peak_rss_kib", 1.0 / 1024);
        }
        List<Map<String, String>> open = ok("open");
        if (!open.isEmpty()) {
            openTables(md, open);
        }
        List<Map<String, String>> idle = ok("idle");
        if (!idle.isEmpty()) {
            memoryTable(md, idle);
        }
        clientTable(md);
        failedTable(md);
        notes(md);
        if (!charts.isEmpty()) {
            md.append("### Charts\n\n");
            for (Chart c : charts) {
                md.append("![").append(c.caption()).append("](").append(c.file()).append(".png)\n\n");
            }
        }
        return md.toString();
    }

    private void closedTable(StringBuilder md, List<Map<String, String>> closed, String title, String column, double scale) {
        md.append("### ").append(title).append("\n\n");
        header(md, "size, B", "connections");
        for (int size : ints(closed, "size_bytes")) {
            for (int conns : ints(closed, "connections")) {
                List<Map<String, String>> at = closed.stream()
                        .filter(r -> num(r, "size_bytes") == size && num(r, "connections") == conns).toList();
                if (at.isEmpty()) continue;
                md.append("| ").append(size).append(" | ").append(String.format(java.util.Locale.ROOT, "%,d", conns)).append(" |");
                for (String v : variants) md.append(' ').append(cell(at, v, column, scale)).append(" |");
                md.append('\n');
            }
        }
        md.append('\n');
    }

    private void openTables(StringBuilder md, List<Map<String, String>> open) {
        long slo = sloMicros();
        for (int conns : ints(open, "connections")) {
            for (int size : ints(open, "size_bytes")) {
                List<Map<String, String>> sweep = open.stream()
                        .filter(r -> num(r, "connections") == conns && num(r, "size_bytes") == size).toList();
                md.append("### Open loop, ").append(String.format(java.util.Locale.ROOT, "%,d", conns)).append(" connections, ")
                        .append(size).append(" B: p99 latency (µs) against offered load\n\n");
                md.append("p99 is measured from each message's intended send time. `*` marks a median that misses the SLO "
                        + "(p99 over ").append(Stats.format(slo)).append(" µs, or under 95% of the offered load achieved).\n\n");
                header(md, "offered, msg/s");
                List<Integer> rates = ints(sweep, "target_rate_msgs_s");
                for (int rate : rates) {
                    List<Map<String, String>> at = sweep.stream().filter(r -> num(r, "target_rate_msgs_s") == rate).toList();
                    md.append("| ").append(String.format(java.util.Locale.ROOT, "%,d", rate)).append(" |");
                    for (String v : variants) {
                        String cell = cell(at, v, "p99_us", 1);
                        Boolean meets = meets(at, v, rate, slo);
                        md.append(' ').append(cell).append(Boolean.FALSE.equals(meets) ? " *" : "").append(" |");
                    }
                    md.append('\n');
                }
                md.append("| **sustainable** |");
                for (String v : variants) md.append(' ').append(sustainable(sweep, v, rates, slo)).append(" |");
                md.append("\n\nSustainable throughput: the highest offered load up to which every rate of the sweep meets "
                        + "the SLO (median p99 at most ").append(Stats.format(slo)).append(" µs and at least 95% of the "
                        + "offered load achieved).\n\n");
            }
        }
    }

    /** Whether the medians at one rate meet the SLO; null without data. */
    private Boolean meets(List<Map<String, String>> at, String variant, int rate, long slo) {
        Stats p99 = stats(at, variant, "p99_us", 1);
        Stats tput = stats(at, variant, "throughput_msgs_s", 1);
        if (p99 == null || tput == null) return null;
        return p99.median() <= slo && tput.median() >= 0.95 * rate;
    }

    private String sustainable(List<Map<String, String>> sweep, String variant, List<Integer> rates, long slo) {
        Integer best = null;
        for (int rate : rates) {
            List<Map<String, String>> at = sweep.stream().filter(r -> num(r, "target_rate_msgs_s") == rate).toList();
            Boolean m = meets(at, variant, rate, slo);
            if (m == null) return best == null ? "–" : String.format(java.util.Locale.ROOT, "%,d", best) + " (sweep incomplete)";
            if (!m) break;
            best = rate;
        }
        if (best == null) return "< " + String.format(java.util.Locale.ROOT, "%,d", rates.get(0));
        if (best == rates.get(rates.size() - 1)) return "≥ " + String.format(java.util.Locale.ROOT, "%,d", best);
        return String.format(java.util.Locale.ROOT, "%,d", best);
    }

    private void memoryTable(StringBuilder md, List<Map<String, String>> idle) {
        md.append("### Memory per connection, ")
                .append(ints(idle, "connections").stream().map(c -> String.format(java.util.Locale.ROOT, "%,d", c)).toList()
                        .toString().replace("[", "").replace("]", ""))
                .append(" idle connections\n\n");
        md.append("Server RSS and heap after a full GC (jcmd GC.run), each measured before and after the connections "
                + "were opened; the difference divided by the number of connections.\n\n");
        md.append("| variant | RSS per connection, bytes | heap after GC per connection, bytes | threads with the connections open |\n");
        md.append("|---|---|---|---|\n");
        for (String v : variants) {
            if (idle.stream().noneMatch(r -> v.equals(r.get("variant")))) continue;
            md.append("| ").append(v).append(" | ").append(cell(idle, v, "rss_delta_per_conn_bytes", 1)).append(" | ")
                    .append(cell(idle, v, "heap_delta_per_conn_bytes", 1)).append(" | ")
                    .append(cell(idle, v, "server_threads_max", 1)).append(" |\n");
        }
        md.append('\n');
    }

    private void clientTable(StringBuilder md) {
        List<Map<String, String>> measured = rows.stream()
                .filter(r -> "ok".equals(r.get("status")) && !"idle".equals(r.get("mode"))).toList();
        if (measured.isEmpty()) return;
        md.append("### Was the client the limit?\n\n");
        md.append("A point is suspect when more than 1% of the client's sends were late by its own schedule (it fell "
                + "behind, not the server) or its CPU use came within 10% of what its threads can use. Client CPU is in "
                + "percent of one core. Errors (mismatches, short echoes, early closes and connect failures) are "
                + "summed over every point.\n\n");
        md.append("| variant | points where the client may have been the limit | most late sends in a point, % of messages "
                + "| highest client CPU, % | errors |\n");
        md.append("|---|---|---|---|---|\n");
        for (String v : variants) {
            List<Map<String, String>> vr = measured.stream().filter(r -> v.equals(r.get("variant"))).toList();
            if (vr.isEmpty()) continue;
            double late = 0;
            double cpu = 0;
            long errors = 0;
            long suspect = vr.stream().filter(r -> "true".equals(r.get("client_limit_suspect"))).count();
            for (Map<String, String> r : vr) {
                double msgs = num(r, "messages");
                if (msgs > 0 && num(r, "late_sends") > 0) late = Math.max(late, 100 * num(r, "late_sends") / msgs);
                if (num(r, "client_cpu_percent") > cpu) cpu = num(r, "client_cpu_percent");
                // The client's errors column already adds up every kind.
                if (num(r, "errors") > 0) errors += (long) num(r, "errors");
            }
            md.append("| ").append(v).append(" | ").append(suspect).append(" of ").append(vr.size()).append(" | ")
                    .append(Stats.format(late)).append(" | ").append(Stats.format(cpu))
                    .append(" | ").append(errors).append(" |\n");
        }
        md.append('\n');
    }

    private void failedTable(StringBuilder md) {
        List<Map<String, String>> failed = rows.stream().filter(r -> "failed".equals(r.get("status"))).toList();
        if (failed.isEmpty()) return;
        md.append("### Failed points\n\n| variant | point | rep | reason |\n|---|---|---|---|\n");
        for (Map<String, String> r : failed) {
            String key = Summary.keyOf(r);
            String shape = key.substring(r.get("variant").length() + 1, key.lastIndexOf("_r"));
            md.append("| ").append(r.get("variant")).append(" | ").append(shape).append(" | ").append(r.get("rep"))
                    .append(" | ").append(r.get("reason").replace("|", "\\|")).append(" |\n");
        }
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private void notes(StringBuilder md) {
        Object n = env.get("notes");
        List<String> lines = new ArrayList<>();
        if (n instanceof List<?> list) list.forEach(o -> lines.add(String.valueOf(o)));
        for (Map<String, String> r : rows) {
            String reason = r.get("reason");
            if ("ok".equals(r.get("status")) && reason != null && !reason.isEmpty()) {
                lines.add(Summary.keyOf(r) + ": " + reason);
            }
        }
        if (lines.isEmpty()) return;
        md.append("### Notes\n\n");
        for (String l : lines) md.append("- ").append(l).append('\n');
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private String environmentLine() {
        Map<String, Object> jdk = env.get("jdk") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> pin = env.get("pinning") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> matrix = env.get("matrix") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String pinning = Boolean.TRUE.equals(pin.get("enabled"))
                ? "servers on CPUs " + pin.get("server_cpus") + ", client on CPUs " + pin.get("client_cpus")
                : "no CPU pinning";
        return "JDK " + Objects.toString(jdk.get("release"), "?") + "; " + envText("cpu_model") + ", "
                + intText(env.get("cores")) + " cores; Linux " + envText("kernel") + "; " + pinning
                + "; server JVM options `" + String.join(" ", list(env.get("server_jvm_options"))) + "`; git "
                + shortCommit() + ". " + intText(matrix.get("repetitions")) + " repetition(s) of "
                + Objects.toString(matrix.get("warmup_s"), "?") + " s warm-up + "
                + Objects.toString(matrix.get("duration_s"), "?") + " s measured per point.";
    }

    private String shortCommit() {
        String c = envText("git_commit");
        String s = c.length() > 12 ? c.substring(0, 12) : c;
        return Boolean.TRUE.equals(env.get("git_dirty")) ? s + " (with uncommitted changes)" : s;
    }

    private static List<String> list(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    private String envText(String key) {
        return Objects.toString(env.get(key), "?");
    }

    private static String intText(Object o) {
        return o instanceof Double d ? Long.toString(Math.round(d)) : Objects.toString(o, "?");
    }

    public long sloMicros() {
        for (Map<String, String> r : rows) {
            double v = num(r, "slo_p99_us");
            if (v > 0) return (long) v;
        }
        if (env.get("matrix") instanceof Map<?, ?> m && m.get("slo_p99_us") instanceof Double d) return Math.round(d);
        return 5000;
    }

    private void header(StringBuilder md, String... first) {
        md.append('|');
        for (String f : first) md.append(' ').append(f).append(" |");
        for (String v : variants) md.append(' ').append(v).append(" |");
        md.append("\n|");
        for (int i = 0; i < first.length + variants.size(); i++) md.append("---|");
        md.append('\n');
    }

    private List<Map<String, String>> ok(String mode) {
        return rows.stream().filter(r -> mode.equals(r.get("mode")) && "ok".equals(r.get("status"))).toList();
    }

    private static Stats stats(List<Map<String, String>> rows, String variant, String column, double scale) {
        List<Double> values = new ArrayList<>();
        for (Map<String, String> r : rows) {
            if (variant.equals(r.get("variant"))) {
                double v = num(r, column);
                if (!Double.isNaN(v)) values.add(v * scale);
            }
        }
        return Stats.of(values);
    }

    private static String cell(List<Map<String, String>> rows, String variant, String column, double scale) {
        Stats s = stats(rows, variant, column, scale);
        return s == null ? "–" : s.cell();
    }

    public static double num(Map<String, String> r, String column) {
        return PointRunner.parse(r.get(column));
    }

    public static List<Integer> ints(List<Map<String, String>> rows, String column) {
        TreeSet<Integer> s = new TreeSet<>();
        for (Map<String, String> r : rows) {
            double v = num(r, column);
            if (!Double.isNaN(v)) s.add((int) v);
        }
        return List.copyOf(s);
    }

    /** Medians of {@code column} by variant, then by the integer value of {@code xColumn}. */
    public static Map<String, Map<Integer, Stats>> medians(List<Map<String, String>> rows, List<String> variants,
                                                   String xColumn, String column, Function<Double, Double> scale) {
        Map<String, Map<Integer, Stats>> out = new LinkedHashMap<>();
        for (String v : variants) {
            Map<Integer, Stats> byX = new LinkedHashMap<>();
            for (int x : ints(rows, xColumn)) {
                List<Double> values = new ArrayList<>();
                for (Map<String, String> r : rows) {
                    if (v.equals(r.get("variant")) && num(r, xColumn) == x) {
                        double y = num(r, column);
                        if (!Double.isNaN(y)) values.add(scale.apply(y));
                    }
                }
                Stats s = Stats.of(values);
                if (s != null) byX.put(x, s);
            }
            if (!byX.isEmpty()) out.put(v, byX);
        }
        return out;
    }
}

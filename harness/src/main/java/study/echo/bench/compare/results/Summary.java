package study.echo.bench.compare.results;

import study.echo.bench.compare.plan.Point;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.csv}: one row per variant x point x repetition, written and flushed as each point
 * ends, so that an interrupted run keeps everything measured so far.
 */
public final class Summary implements AutoCloseable {
    public static final String FILE = "summary.csv";

    /** The columns copied unchanged from the load client's own CSV row. */
    public static final List<String> CLIENT_COLUMNS = List.of(
            "duration_s", "messages", "throughput_msgs_s", "p50_us", "p90_us", "p99_us", "p999_us", "p9999_us",
            "max_us", "service_p99_us", "capped_sends", "late_sends", "max_behind_us", "errors", "mismatches",
            "short_echoes", "early_closes", "connect_failures", "client_cpu_s", "client_cpu_percent");

    public static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(List.of(
                "variant", "mode", "connections", "size_bytes", "pipeline", "target_rate_msgs_s", "max_in_flight",
                "rep", "status", "reason", "warmup_s"));
        c.addAll(CLIENT_COLUMNS);
        c.addAll(List.of(
                "client_limit_suspect", "slo_p99_us", "meets_slo",
                "server_cpu_s", "server_cpu_percent", "server_cpu_s_per_1000_msgs",
                "server_voluntary_ctx_switches", "server_involuntary_ctx_switches", "server_ctx_switches_per_1000_msgs",
                "server_threads_max", "server_peak_rss_kib", "server_accept_s",
                "server_rss_idle_base_kib", "server_rss_idle_loaded_kib", "heap_after_gc_base_kib",
                "heap_after_gc_loaded_kib", "rss_delta_per_conn_bytes", "heap_delta_per_conn_bytes",
                "hgrm_file", "hlog_file"));
        COLUMNS = List.copyOf(c);
    }

    private final BufferedWriter out;
    private boolean closed;

    private Summary(BufferedWriter out) {
        this.out = out;
    }

    /** Opens for appending, writing the header when the file is new. */
    public static Summary open(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (fresh) {
            w.write(Csv.line(COLUMNS));
            w.newLine();
            w.flush();
        }
        return new Summary(w);
    }

    /** A row with the point's own columns filled in and every other column empty. */
    public static Map<String, String> newRow(Point p, PointTimes times) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String c : COLUMNS) row.put(c, "");
        row.put("variant", p.variant().name());
        row.put("mode", p.mode().label());
        row.put("connections", Integer.toString(p.connections()));
        row.put("size_bytes", p.mode() == Point.Mode.IDLE ? "" : Integer.toString(p.sizeBytes()));
        row.put("pipeline", p.mode() == Point.Mode.CLOSED ? "1" : "");
        row.put("target_rate_msgs_s", p.mode() == Point.Mode.OPEN ? Integer.toString(p.rateMsgsPerS()) : "");
        row.put("max_in_flight", p.mode() == Point.Mode.OPEN ? "1" : "");
        row.put("rep", Integer.toString(p.rep()));
        if (times != null && p.mode() != Point.Mode.IDLE) {
            row.put("warmup_s", num(times.warmupSeconds()));
            row.put("duration_s", num(times.durationSeconds()));
        }
        return row;
    }

    /** Warm-up and measured duration of a point, in seconds. */
    public record PointTimes(double warmupSeconds, double durationSeconds) {}

    /** Writes and flushes one row; a no-op once closed (the run is being interrupted). */
    public synchronized boolean append(Map<String, String> row) throws IOException {
        if (closed) return false;
        List<String> fields = new ArrayList<>();
        for (String c : COLUMNS) fields.add(row.getOrDefault(c, ""));
        out.write(Csv.line(fields));
        out.newLine();
        out.flush();
        return true;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    /** A number as the CSV carries it: integers without a fraction, others with up to 6 significant digits. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "";
        java.math.BigDecimal b = new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
    }

    /** The {@link Point#key()} of a summary row. */
    public static String keyOf(Map<String, String> row) {
        String shape = switch (row.get("mode")) {
            case "closed" -> "closed_c" + row.get("connections") + "_s" + row.get("size_bytes");
            case "open" -> "open_c" + row.get("connections") + "_s" + row.get("size_bytes")
                    + "_rate" + row.get("target_rate_msgs_s");
            default -> "idle_c" + row.get("connections");
        };
        return row.get("variant") + "_" + shape + "_r" + row.get("rep");
    }
}

package study.echo.bench.compare.results;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.client.ClientResult;
import study.echo.common.Csv;
import study.echo.common.UserException;
import study.echo.client.ArrivalPattern;
import study.echo.common.work.WorkSpec;

/**
 * {@code summary.csv}: one {@link PointResult} per row, appended as each point ends so that an
 * interrupted run keeps everything measured so far. The schema is written here once, both ways: the
 * columns a row is written as, and how a row is read back and checked.
 */
public final class Summary implements AutoCloseable {
    public static final String FILE = "summary.csv";

    /**
     * A column of the file and how a row fills it. A column added after runs were committed is
     * optional on read: a file from before it reads as if every cell of it were empty.
     */
    record Column(String name, Function<PointResult, String> cell, boolean addedLater) {
        Column(String name, Function<PointResult, String> cell) {
            this(name, cell, false);
        }
    }

    static final List<Column> COLUMNS = List.of(
            new Column("variant", r -> r.id().variant()),
            new Column("mode", r -> r.id().mode().label()),
            new Column("connections", r -> Integer.toString(r.id().connections())),
            new Column("size_bytes", r -> r.id().mode() == Point.Mode.IDLE ? "" : Integer.toString(r.id().sizeBytes())),
            new Column("pipeline", r -> r.id().mode() == Point.Mode.CLOSED ? "1" : ""),
            new Column("target_rate_msgs_s", r -> r.id().mode() == Point.Mode.OPEN ? Integer.toString(r.id().rateMsgsPerSec()) : ""),
            new Column("max_in_flight", r -> r.id().mode() == Point.Mode.OPEN ? "1" : ""),
            new Column("rep", r -> Integer.toString(r.id().rep())),
            new Column("status", r -> r.status().label()),
            new Column("reason", PointResult::reason),
            new Column("warmup_s", r -> r.times() == null ? "" : num(r.times().warmupSeconds())),
            new Column("duration_s", r -> r.client() != null ? fixed(r.client().durationS(), 3)
                    : r.times() == null ? "" : num(r.times().durationSeconds())),
            // The client's figures, with the decimals its own CSV row has always had.
            client("messages", c -> Long.toString(c.messages())),
            client("throughput_msgs_s", c -> fixed(c.throughputMsgsPerS(), 1)),
            client("p50_us", c -> fixed(c.p50Micros(), 1)),
            client("p90_us", c -> fixed(c.p90Micros(), 1)),
            client("p99_us", c -> fixed(c.p99Micros(), 1)),
            client("p999_us", c -> fixed(c.p999Micros(), 1)),
            client("p9999_us", c -> fixed(c.p9999Micros(), 1)),
            client("max_us", c -> fixed(c.maxMicros(), 1)),
            client("service_p99_us", c -> fixed(c.serviceP99Micros(), 1)),
            client("capped_sends", c -> Long.toString(c.cappedSends())),
            client("late_sends", c -> Long.toString(c.lateSends())),
            client("max_behind_us", c -> fixed(c.maxBehindMicros(), 1)),
            client("errors", c -> Long.toString(c.errors())),
            client("mismatches", c -> Long.toString(c.mismatches())),
            client("short_echoes", c -> Long.toString(c.shortEchoes())),
            client("early_closes", c -> Long.toString(c.earlyCloses())),
            client("connect_failures", c -> Long.toString(c.connectFailures())),
            client("client_cpu_s", c -> fixed(c.clientCpuS(), 3)),
            client("client_cpu_percent", c -> fixed(c.clientCpuPercent(), 1)),
            new Column("client_limit_suspect", r -> text(r.verdicts().clientLimitSuspect())),
            new Column("slo_p99_us", r -> text(r.verdicts().sloP99Micros())),
            new Column("meets_slo", r -> text(r.verdicts().meetsSlo())),
            new Column("server_cpu_s", r -> num(r.server().cpuS())),
            new Column("server_cpu_percent", r -> num(r.server().cpuPercent())),
            new Column("server_cpu_s_per_1000_msgs", r -> num(r.server().cpuSPer1000Msgs())),
            new Column("server_voluntary_ctx_switches", r -> text(r.server().voluntaryCtxSwitches())),
            new Column("server_involuntary_ctx_switches", r -> text(r.server().involuntaryCtxSwitches())),
            new Column("server_ctx_switches_per_1000_msgs", r -> num(r.server().ctxSwitchesPer1000Msgs())),
            new Column("server_threads_max", r -> text(r.server().threadsMax())),
            new Column("server_peak_rss_kib", r -> text(r.server().peakRssKib())),
            new Column("server_accept_s", r -> num(r.server().acceptS()), true),
            idle("server_rss_idle_base_kib", m -> Long.toString(m.rssBaseKib())),
            idle("server_rss_idle_loaded_kib", m -> Long.toString(m.rssLoadedKib())),
            idle("heap_after_gc_base_kib", m -> text(m.heapBaseKib())),
            idle("heap_after_gc_loaded_kib", m -> text(m.heapLoadedKib())),
            idle("rss_delta_per_conn_bytes", m -> num(m.rssDeltaPerConnBytes())),
            idle("heap_delta_per_conn_bytes", m -> num(m.heapDeltaPerConnBytes())),
            new Column("hgrm_file", r -> text(r.hgrmFile())),
            new Column("hlog_file", r -> text(r.hlogFile())),
            // Added after the first committed runs, so at the end: a reader by position sees no change.
            clientLater("unanswered", c -> Long.toString(c.unanswered())),
            clientLater("send_lag_p50_us", c -> fixedOrEmpty(c.sendLagP50Micros(), 1)),
            clientLater("send_lag_p99_us", c -> fixedOrEmpty(c.sendLagP99Micros(), 1)),
            clientLater("send_lag_max_us", c -> fixedOrEmpty(c.sendLagMaxMicros(), 1)),
            clientLater("client_busiest_io_thread_cpu_percent", c -> fixedOrEmpty(c.busiestIoThreadCpuPercent(), 1)),
            // The point's, not the client's: a failed point has its pattern too, so --resume finds it.
            new Column("arrivals", r -> r.id().mode() == Point.Mode.OPEN ? r.id().arrivals().label() : "", true),
            clientLater("arrivals_seed", c -> text(c.arrivalsSeed())),
            new Column("other_cpu_percent", r -> num(r.noise().otherCpuPercent()), true),
            new Column("steal_cpu_percent", r -> num(r.noise().stealCpuPercent()), true),
            new Column("disturbed", r -> text(r.noise().disturbed()), true),
            new Column("variant_options", PointResult::variantOptions, true),
            new Column("work", r -> r.id().mode() == Point.Mode.IDLE ? "" : r.id().work().toString(), true),
            clientLater("sends_within_100us_percent", c -> fixedOrEmpty(c.sendsWithin100usPercent(), 3)),
            // --syscalls: counted from outside the server over the measured window, per message the client counted.
            syscalls("syscalls_per_msg", s -> num(s.syscallsPerMsg())),
            syscalls("ctx_switches_per_msg", s -> num(s.ctxSwitchesPerMsg())),
            syscalls("syscall_counter", SyscallCounts::counter),
            syscalls("syscalls_by_call_per_msg", SyscallCounts::byCallText),
            // The point's, so a failed point has it too: empty except at an active-among-idle point.
            new Column("idle_held_connections", r -> text(r.id().idleHeld()), true),
            // Every Java row's, with or without --jdk; empty for the C server.
            new Column("jdk", PointResult::jdk, true));

    /** The header line, column names in order. */
    public static final List<String> COLUMN_NAMES = COLUMNS.stream().map(Column::name).toList();

    private static Column client(String name, Function<ClientResult, String> cell) {
        return new Column(name, r -> r.client() == null ? "" : cell.apply(r.client()));
    }

    private static Column clientLater(String name, Function<ClientResult, String> cell) {
        return new Column(name, r -> r.client() == null ? "" : cell.apply(r.client()), true);
    }

    private static Column syscalls(String name, Function<SyscallCounts, String> cell) {
        return new Column(name, r -> r.syscalls() == null ? "" : cell.apply(r.syscalls()), true);
    }

    private static Column idle(String name, Function<IdleMemory, String> cell) {
        return new Column(name, r -> r.idle() == null ? "" : cell.apply(r.idle()));
    }

    /** The row's fields in column order. */
    public static List<String> cells(PointResult r) {
        List<String> out = new ArrayList<>(COLUMNS.size());
        for (Column c : COLUMNS) out.add(c.cell().apply(r));
        return out;
    }

    // ---- reading

    /**
     * What a summary.csv holds: every whole row, checked, and the text of a last row that a crash cut
     * short (null when there is none). A torn row is left out: its point counts as not measured.
     */
    public record Contents(List<PointResult> rows, String tornRow) {}

    /** Reads and checks every row; a problem is one line naming the file, the row and the column. */
    public static Contents read(Path file) throws IOException {
        String text = Csv.readUtf8(file);
        String torn = null;
        if (!text.isEmpty() && !text.endsWith("\n")) {
            int cut = text.lastIndexOf('\n') + 1;
            torn = text.substring(cut);
            text = text.substring(0, cut);
        }
        List<Csv.Record> records;
        try {
            records = Csv.parse(text);
        } catch (IOException e) {
            throw new UserException(file + ": not a CSV file: " + firstLine(e.getMessage()));
        }
        if (records.isEmpty()) return new Contents(List.of(), torn);
        Map<String, Integer> header = header(file, records.get(0).fields());
        List<PointResult> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            Csv.Record r = records.get(i);
            if (r.fields().size() != records.get(0).fields().size()) {
                throw new UserException(file + ": row " + i + " (line " + r.line() + ") has " + r.fields().size()
                        + " fields; the header has " + records.get(0).fields().size());
            }
            rows.add(fromCells(new Cells(file, i, r, header)));
        }
        return new Contents(List.copyOf(rows), torn);
    }

    private static Map<String, Integer> header(Path file, List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.put(names.get(i).trim(), i);
        for (Column c : COLUMNS) {
            if (!c.addedLater() && !index.containsKey(c.name())) {
                throw new UserException(file + ": the header has no '" + c.name() + "' column; is it a comparison summary?");
            }
        }
        return index;
    }

    private static PointResult fromCells(Cells c) {
        Point.Mode mode = c.parsed("mode", Point.Mode::ofLabel, "closed, open or idle");
        PointResult.Status status = c.parsed("status", s -> switch (s) {
            case "ok" -> PointResult.Status.OK;
            case "failed" -> PointResult.Status.FAILED;
            default -> null;
        }, "ok or failed");
        PointId id = new PointId(c.nonEmpty("variant"), mode, c.get("connections", INT),
                mode == Point.Mode.IDLE ? 0 : c.get("size_bytes", INT),
                mode == Point.Mode.OPEN ? c.get("target_rate_msgs_s", INT) : 0, c.get("rep", INT),
                orNone(c.opt("work", WORK)), c.opt("arrivals", ARRIVALS), c.opt("idle_held_connections", INT));
        Double warmup = c.opt("warmup_s", NUMBER);
        PointTimes times = warmup == null ? null
                : new PointTimes(warmup, c.opt("duration_s", NUMBER) == null ? Double.NaN : c.opt("duration_s", NUMBER));
        boolean measured = status == PointResult.Status.OK;
        ClientResult client = measured && mode != Point.Mode.IDLE ? clientOf(c, id) : null;
        IdleMemory idle = measured && mode == Point.Mode.IDLE
                ? new IdleMemory(c.get("server_rss_idle_base_kib", LONG), c.get("server_rss_idle_loaded_kib", LONG),
                        c.opt("heap_after_gc_base_kib", LONG), c.opt("heap_after_gc_loaded_kib", LONG),
                        c.get("rss_delta_per_conn_bytes", NUMBER), c.opt("heap_delta_per_conn_bytes", NUMBER))
                : null;
        ServerResources server = new ServerResources(c.opt("server_cpu_s", NUMBER), c.opt("server_cpu_percent", NUMBER),
                c.opt("server_cpu_s_per_1000_msgs", NUMBER), c.opt("server_voluntary_ctx_switches", LONG),
                c.opt("server_involuntary_ctx_switches", LONG), c.opt("server_ctx_switches_per_1000_msgs", NUMBER),
                c.opt("server_threads_max", INT), c.opt("server_peak_rss_kib", LONG), c.opt("server_accept_s", NUMBER));
        MachineNoise noise = new MachineNoise(c.opt("other_cpu_percent", NUMBER), c.opt("steal_cpu_percent", NUMBER));
        Verdicts verdicts = new Verdicts(c.opt("client_limit_suspect", BOOLEAN), c.opt("slo_p99_us", LONG),
                c.opt("meets_slo", BOOLEAN));
        return new PointResult(id, times, status, c.text("reason"), client, server, noise, idle, verdicts,
                emptyToNull(c.text("hgrm_file")), emptyToNull(c.text("hlog_file")), c.text("variant_options"),
                syscallsOf(c), c.text("jdk"));
    }

    /** The counts of a row that names its counter; null for a row from before --syscalls, or a failed one. */
    private static SyscallCounts syscallsOf(Cells c) {
        String counter = c.text("syscall_counter").trim();
        if (counter.isEmpty()) return null;
        return new SyscallCounts(counter, c.opt("syscalls_per_msg", NUMBER), c.opt("ctx_switches_per_msg", NUMBER),
                c.optional("syscalls_by_call_per_msg", SyscallCounts::parseByCall, "calls as NAME:PER_MSG separated by spaces"));
    }

    /**
     * A measured row's client figures. {@code interrupted} is not in the summary (an interrupted point
     * is not written), and the columns added later read as unknown from an older file.
     */
    private static ClientResult clientOf(Cells c, PointId id) {
        Integer pipeline = c.opt("pipeline", INT);
        Integer maxInFlight = c.opt("max_in_flight", INT);
        return new ClientResult(id.mode().label(), id.connections(), id.sizeBytes(), pipeline == null ? 1 : pipeline,
                id.rateMsgsPerSec(), maxInFlight == null ? 1 : maxInFlight,
                c.get("duration_s", NUMBER), c.get("messages", LONG), c.get("throughput_msgs_s", NUMBER),
                c.get("p50_us", NUMBER), c.get("p90_us", NUMBER), c.get("p99_us", NUMBER),
                c.get("p999_us", NUMBER), c.get("p9999_us", NUMBER), c.get("max_us", NUMBER),
                c.get("service_p99_us", NUMBER),
                c.get("capped_sends", LONG), c.get("late_sends", LONG), c.get("max_behind_us", NUMBER),
                c.get("errors", LONG), c.get("mismatches", LONG), c.get("short_echoes", LONG),
                c.get("early_closes", LONG), c.get("connect_failures", LONG),
                c.get("client_cpu_s", NUMBER), c.get("client_cpu_percent", NUMBER),
                orNaN(c.opt("client_busiest_io_thread_cpu_percent", NUMBER)), false,
                orZero(c.opt("unanswered", LONG)), c.opt("send_lag_p50_us", NUMBER), c.opt("send_lag_p99_us", NUMBER),
                c.opt("send_lag_max_us", NUMBER), emptyToNull(c.text("arrivals")), c.opt("arrivals_seed", LONG),
                c.opt("sends_within_100us_percent", NUMBER), id.idleHeld() == null ? 0 : id.idleHeld(), 0);
    }

    /** A run from before the work column did no work per request: the echo. */
    private static WorkSpec orNone(WorkSpec w) {
        return w == null ? WorkSpec.NONE : w;
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    /** The cells of one row, read by column name, each parse failure one line naming file, row and column. */
    private record Cells(Path file, int row, Csv.Record record, Map<String, Integer> header) {
        String text(String column) {
            Integer i = header.get(column);
            return i == null ? "" : record.fields().get(i);
        }

        <T> T parsed(String column, Function<String, T> parse, String expected) {
            String v = text(column);
            T t = null;
            try {
                t = v.isEmpty() ? null : parse.apply(v.trim());
            } catch (RuntimeException e) {
                // reported below, with the value
            }
            if (t == null) {
                throw new UserException(file + ": row " + row + " (line " + record.line() + "), column " + column
                        + ": " + (v.isEmpty() ? "empty" : "'" + v + "'") + " where " + expected + " was expected");
            }
            return t;
        }

        <T> T optional(String column, Function<String, T> parse, String expected) {
            return text(column).isEmpty() ? null : parsed(column, parse, expected);
        }

        String nonEmpty(String column) {
            return parsed(column, s -> s, "a name");
        }

        <T> T get(String column, Kind<T> kind) {
            return parsed(column, kind.parse(), kind.expected());
        }

        <T> T opt(String column, Kind<T> kind) {
            return optional(column, kind.parse(), kind.expected());
        }
    }

    /** What a cell holds: how to read it, and what to call it when it does not read. */
    private record Kind<T>(Function<String, T> parse, String expected) {}

    private static final Kind<Integer> INT = new Kind<>(Integer::valueOf, "an integer");
    private static final Kind<Long> LONG = new Kind<>(Long::valueOf, "an integer");
    private static final Kind<Double> NUMBER = new Kind<>(Summary::finite, "a number");
    private static final Kind<ArrivalPattern> ARRIVALS = new Kind<>(ArrivalPattern::parse, "an arrival pattern (even, poisson or bursts:N)");
    private static final Kind<WorkSpec> WORK = new Kind<>(WorkSpec::parse, "a work spec (none, cpu:D, wait:D or cpu:D1+wait:D2)");
    private static final Kind<Boolean> BOOLEAN = new Kind<>(
            s -> s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null, "true or false");

    private static Double finite(String s) {
        double d = Double.parseDouble(s);
        return Double.isFinite(d) ? d : null;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    // ---- writing

    private final OutputStream out;
    private boolean closed;

    private Summary(OutputStream out) {
        this.out = out;
    }

    /**
     * Opens for appending, writing the header when the file is new. A torn last row (a crash while it
     * was written) is cut off first, so the next row starts on a line of its own.
     */
    public static Summary open(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        if (!fresh) cutTornRow(file);
        OutputStream out = new FileOutputStream(file.toFile(), true);
        Summary s = new Summary(out);
        if (fresh) s.writeWhole(Csv.line(COLUMN_NAMES));
        return s;
    }

    private static void cutTornRow(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') end--;
        if (end == bytes.length) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(end);
        }
    }

    /** Writes one row; a no-op once closed (the run is being interrupted). */
    public synchronized boolean append(PointResult row) throws IOException {
        if (closed) return false;
        writeWhole(Csv.line(cells(row)));
        return true;
    }

    /** The whole line in one write, unbuffered: a crash leaves a row whole, or torn and detected on read. */
    private void writeWhole(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    // ---- number formats

    /** A number as the CSV carries it: integers without a fraction, others with up to 6 significant digits. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "";
        BigDecimal b = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
    }

    private static String num(Double v) {
        return v == null ? "" : num(v.doubleValue());
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** As {@link #fixed}, empty for a figure that was not measured (null, or NaN from an older file). */
    private static String fixedOrEmpty(Double v, int decimals) {
        return v == null || v.isNaN() ? "" : fixed(v, decimals);
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }
}

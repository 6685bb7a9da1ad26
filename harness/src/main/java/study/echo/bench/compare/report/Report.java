package study.echo.bench.compare.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import study.echo.bench.compare.measure.Environment;
import study.echo.bench.compare.measure.WorkCalibration;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.MachineNoise;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.RunFiles;
import study.echo.bench.compare.results.RunJson;
import study.echo.bench.compare.results.Summary;
import study.echo.bench.compare.results.Verdicts;
import study.echo.common.UserException;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;
import study.echo.bench.compare.plan.Applicability;

/**
 * Turns a run folder into {@code report.md} (the Markdown results section: medians with min–max over
 * repetitions) and the charts. Reads only summary.csv, environment.json and the .hlog files (from
 * the folder or its points archive), so it regenerates the same tables from the same folder.
 */
public final class Report {
    static final String FILE = "report.md";
    private static final List<String> STANDARD_ORDER =
            List.of("selector-1", "selector-N", Variant.OFFLOAD_PLATFORM, Variant.OFFLOAD_VIRTUAL, "loom-virtual",
                    "loom-platform", "native");
    /** The SLO of runs that recorded none. */
    private static final long DEFAULT_SLO_MICROS = 5000;

    /** A figure of a row; null when the row does not have it. */
    interface Metric extends Function<PointResult, Double> {}

    static final Metric THROUGHPUT = r -> r.client() == null ? null : r.client().throughputMsgsPerS();
    static final Metric P99 = r -> r.client() == null ? null : r.client().p99Micros();
    static final Metric SERVER_CPU_PER_1000 = r -> r.server().cpuSPer1000Msgs();
    static final Metric CTX_PER_1000 = r -> r.server().ctxSwitchesPer1000Msgs();
    static final Metric THREADS = r -> r.server().threadsMax() == null ? null : r.server().threadsMax().doubleValue();
    static final Metric PEAK_RSS_KIB = r -> r.server().peakRssKib() == null ? null : r.server().peakRssKib().doubleValue();
    static final Metric RSS_PER_CONN = r -> r.idle() == null ? null : r.idle().rssDeltaPerConnBytes();
    static final Metric HEAP_PER_CONN = r -> r.idle() == null ? null : r.idle().heapDeltaPerConnBytes();

    private final Path runDir;
    private final List<PointResult> rows;
    private final String tornRow;
    private final ObjectNode env;
    private final List<String> variants;

    public record Result(Path markdown, int charts) {}

    public Report(Path runDir) throws IOException {
        this.runDir = runDir;
        Path summary = runDir.resolve(Summary.FILE);
        if (!Files.isRegularFile(summary)) throw new UserException("no " + Summary.FILE + " in " + runDir + "; is it a run folder?");
        Summary.Contents contents = Summary.read(summary);
        this.rows = contents.rows();
        this.tornRow = contents.tornRow();
        Path envFile = runDir.resolve(Environment.FILE);
        this.env = Files.exists(envFile) ? RunJson.readObject(envFile) : JsonNodeFactory.instance.objectNode();
        Set<String> names = new LinkedHashSet<>();
        // A variant on several JDKs (--jdk: selector-1@jdk21, selector-1@jdk25) takes its base's place.
        for (String s : STANDARD_ORDER) {
            for (PointResult r : rows) if (s.equals(Variant.baseName(r.id().variant()))) names.add(r.id().variant());
        }
        for (PointResult r : rows) names.add(r.id().variant());
        this.variants = List.copyOf(names);
    }

    public Result write() throws IOException {
        List<Chart> charts;
        try (RunFiles files = RunFiles.open(runDir)) {
            charts = new Charts(runDir, files, rows, variants, sloMicros()).drawAll();
        }
        String md = markdown(charts);
        Path file = runDir.resolve(FILE);
        Files.writeString(file, md, StandardCharsets.UTF_8);
        return new Result(file, charts.size());
    }

    /**
     * A chart file (relative to the run folder, without extension; null when nothing could be drawn),
     * its caption, and what it lacks: one line per variant or repetition whose data could not be read.
     */
    public record Chart(String file, String caption, List<String> missing) {}

    String markdown(List<Chart> charts) {
        StringBuilder md = new StringBuilder();
        md.append("## Results: ").append(envText("profile")).append(" profile, ").append(envText("date_utc")).append("\n\n");
        md.append(environmentLine()).append("\n\n");
        String work = workLine();
        if (work != null) md.append(work).append("\n\n");
        md.append("Each cell is the median over the repetitions, with the range (min–max) in brackets when they differ. "
                + "Failed points are listed at the end and left out of the medians.\n\n");
        jdkTable(md);

        List<PointResult> closed = ok(Point.Mode.CLOSED);
        if (!closed.isEmpty()) {
            closedTable(md, closed, "Closed loop (pipeline 1): throughput, messages per second", THROUGHPUT, 1);
            closedTable(md, closed, "Closed loop: p99 latency, µs", P99, 1);
            closedTable(md, closed, "Closed loop: server CPU per message, µs (= CPU ms per 1,000 messages)",
                    SERVER_CPU_PER_1000, 1000);
            closedTable(md, closed, "Closed loop: server context switches per 1,000 messages", CTX_PER_1000, 1);
            closedTable(md, closed, "Closed loop: server threads", THREADS, 1);
            closedTable(md, closed, "Closed loop: server peak RSS, MiB", PEAK_RSS_KIB, 1.0 / 1024);
            littleTable(md, closed);
            crossoverTables(md, closed);
        }
        List<PointResult> open = ok(Point.Mode.OPEN);
        if (!open.isEmpty()) {
            openTables(md, open);
        }
        List<PointResult> idle = ok(Point.Mode.IDLE);
        if (!idle.isEmpty()) {
            memoryTable(md, idle);
        }
        new SyscallSection(rows, variants, env).write(md);
        AmongIdle.section(md, rows, variants);
        clientTable(md);
        noiseTable(md);
        failedTable(md);
        notes(md);
        if (!charts.isEmpty()) {
            md.append("### Charts\n\n");
            for (Chart c : charts) {
                if (c.file() != null) {
                    md.append("![").append(c.caption()).append("](").append(c.file()).append(".png)\n\n");
                } else {
                    md.append("*").append(c.caption()).append("*: not drawn, nothing could be read for it.\n\n");
                }
                if (!c.missing().isEmpty()) {
                    md.append(c.file() != null ? "This chart lacks data:\n\n" : "What is missing:\n\n");
                    for (String m : c.missing()) md.append("- ").append(m).append('\n');
                    md.append('\n');
                }
            }
        }
        return md.toString();
    }

    private void closedTable(StringBuilder md, List<PointResult> closed, String title, Metric metric, double scale) {
        md.append("### ").append(title).append("\n\n");
        boolean withWork = hasWork(closed);
        if (withWork) {
            header(md, "size, B", "work", "connections");
        } else {
            header(md, "size, B", "connections");
        }
        forEachPoint(closed, (size, work, conns, at) -> {
            md.append("| ").append(size).append(" | ");
            if (withWork) md.append(work).append(" | ");
            md.append(thousands(conns)).append(" |");
            for (String v : variants) md.append(' ').append(cellAt(at, v, metric, scale, work, conns)).append(" |");
            md.append('\n');
        });
        md.append('\n');
    }

    /** What a table does with the measured rows {@code at} of one closed-loop load shape. */
    private interface PointRows {
        void accept(int size, WorkSpec work, int conns, List<PointResult> at);
    }

    /** Every load shape of {@code rows} that has rows, by size, then work, then connections. */
    private static void forEachPoint(List<PointResult> rows, PointRows table) {
        for (int size : ints(rows, r -> r.id().sizeBytes())) {
            for (WorkSpec work : works(rows)) {
                for (int conns : ints(rows, r -> r.id().connections())) {
                    List<PointResult> at = rows.stream().filter(r -> r.id().sizeBytes() == size
                            && r.id().work().equals(work) && r.id().connections() == conns).toList();
                    if (!at.isEmpty()) table.accept(size, work, conns, at);
                }
            }
        }
    }

    /**
     * Throughput of every closed-loop point whose work waits, beside Little's bound, connections / (wait +
     * cpu): what a server that added no delay of its own would reach with one request in flight per connection.
     */
    private void littleTable(StringBuilder md, List<PointResult> closed) {
        List<PointResult> waiting = closed.stream().filter(r -> r.id().work().hasWait()).toList();
        if (waiting.isEmpty()) return;
        md.append("### Closed loop with a wait: throughput against Little's bound\n\n");
        md.append("Little's bound is connections / (wait + cpu) messages per second: one request in flight per connection, "
                + "each taking at least its work. Each cell is the median throughput, msg/s, and the fraction of the bound "
                + "it reached; a design far below it is held back by something else (the CPU, a pool, a blocked loop).\n\n");
        header(md, "size, B", "work", "connections", "Little's bound, msg/s");
        forEachPoint(waiting, (size, work, conns, at) -> {
            double bound = Crossover.littlesBoundMsgsPerSec(conns, work);
            md.append("| ").append(size).append(" | ").append(work).append(" | ").append(thousands(conns))
                    .append(" | ").append(Stats.format(bound)).append(" |");
            for (String v : variants) {
                Stats s = stats(at, v, THROUGHPUT, 1);
                String cell = s == null ? cellAt(at, v, THROUGHPUT, 1, work, conns)
                        : Stats.format(s.median()) + " (" + Math.round(100 * s.median() / bound) + "%)";
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        });
        md.append('\n');
    }

    /**
     * The crossover map as tables, one per size and connection count: rows cpu, columns wait, each cell the
     * winner by throughput and loom-virtual's ratios to the best selector variant (see {@link Crossover}).
     */
    private void crossoverTables(StringBuilder md, List<PointResult> closed) {
        if (!hasWork(closed) || closed.stream().noneMatch(r -> Crossover.LOOM.equals(r.id().variant()))) return;
        md.append("### Which design for which service: the crossover map\n\n");
        md.append("Each cell names the winner by closed-loop throughput, loom-virtual against the best of ")
                .append(String.join(", ", Crossover.SELECTORS)).append(" at that point, and gives loom-virtual's throughput ")
                .append("and p99 as a multiple of that best selector's (each figure against the selector best at it: ")
                .append("throughput above 1 and p99 below 1 favour loom-virtual). Within ")
                .append(Math.round(100 * (Crossover.TIE_RATIO - 1))).append("% either way is a tie.\n\n");
        for (int size : ints(closed, r -> r.id().sizeBytes())) {
            List<PointResult> sized = closed.stream().filter(r -> r.id().sizeBytes() == size).toList();
            List<java.time.Duration> cpus = sized.stream().map(r -> r.id().work().cpuTime()).distinct().sorted().toList();
            List<java.time.Duration> waits = sized.stream().map(r -> r.id().work().waitTime()).distinct().sorted().toList();
            for (int conns : ints(sized, r -> r.id().connections())) {
                md.append("**").append(thousands(conns)).append(" connections, ").append(size).append(" B**\n\n| cpu \\ wait |");
                for (var w : waits) md.append(' ').append(durationLabel(w)).append(" |");
                md.append("\n|---|");
                for (int i = 0; i < waits.size(); i++) md.append("---|");
                md.append('\n');
                for (var cpu : cpus) {
                    md.append("| ").append(durationLabel(cpu)).append(" |");
                    for (var wait : waits) {
                        WorkSpec work = new WorkSpec(cpu, wait);
                        List<PointResult> at = sized.stream()
                                .filter(r -> r.id().connections() == conns && r.id().work().equals(work)).toList();
                        md.append(' ').append(crossoverCell(at)).append(" |");
                    }
                    md.append('\n');
                }
                md.append('\n');
            }
        }
    }

    private static String crossoverCell(List<PointResult> at) {
        Crossover.Ratio tput = Crossover.ratio(at, THROUGHPUT, true);
        if (tput == null) return "–";
        Crossover.Ratio p99 = Crossover.ratio(at, P99, false);
        String winner = Crossover.winner(tput);
        String head = winner.equals("tie") ? "tie" : "**" + winner + "** " + ratioText(Crossover.advantage(tput)) + "×";
        return head + " (tput " + ratioText(tput.ratio()) + "× vs " + tput.selector().variant()
                + (p99 == null ? "" : ", p99 " + ratioText(p99.ratio()) + "× vs " + p99.selector().variant()) + ")";
    }

    static String ratioText(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0f" : "%.2f", r);
    }

    /** {@code 0}, {@code 10us}, {@code 1ms}: a cpu or wait of the map's axes. */
    static String durationLabel(java.time.Duration d) {
        return d.isZero() ? "0" : study.echo.common.Durations.format(d);
    }

    /** The works of {@code rows}, in the order they first appear (the plan's order). */
    static List<WorkSpec> works(List<PointResult> rows) {
        return rows.stream().map(r -> r.id().work()).distinct().toList();
    }

    static boolean hasWork(List<PointResult> rows) {
        return rows.stream().anyMatch(r -> !r.id().work().isNone());
    }

    /**
     * A cell of a table at one point: the figure, or {@code n/a} where the variant cannot do the work (the
     * C server at a wait), by the plan's own {@link Applicability} rule, or – where it was not measured.
     */
    private static String cellAt(List<PointResult> at, String variant, Metric metric, double scale, WorkSpec work,
                                 int conns) {
        Stats s = stats(at, variant, metric, scale);
        if (s != null) return s.cell();
        return notApplicable(variant, work, conns) ? "n/a" : "–";
    }

    /** Whether a built-in variant is not applicable at a work; false for a name outside the table. */
    static boolean notApplicable(String variant, WorkSpec work, int conns) {
        for (Variant v : Variant.standard(1)) {
            if (v.name().equals(variant)) return Applicability.of(v, work, conns) == Applicability.NOT_APPLICABLE;
        }
        return false;
    }

    private void openTables(StringBuilder md, List<PointResult> open) {
        List<Sweep> sweeps = Sweep.of(open);
        for (Sweep sweep : sweeps) openTable(md, sweep);
        arrivalsTable(md, sweeps);
    }

    private void openTable(StringBuilder md, Sweep s) {
        List<PointResult> sweep = s.points();
        WorkSpec work = s.work();
        int conns = s.connections();
        long slo = Verdicts.sloMicros(work, sloMicros());
        md.append("### Open loop, ").append(s.label()).append(": p99 latency (µs) against offered load\n\n");
        md.append("p99 is measured from each message's intended send time. `*` marks a median that misses the SLO "
                + "(p99 over ").append(Stats.format(slo)).append(" µs, or under 95% of the offered load achieved)")
                .append(work.isNone() ? "" : "; with work the objective is --slo-p99 above the work's own time, "
                        + Stats.format(sloMicros()) + " + " + Stats.format(slo - sloMicros()) + " µs")
                .append(".\n\n");
        header(md, "offered, msg/s");
        List<Integer> rates = ints(sweep, r -> r.id().rateMsgsPerSec());
        for (int rate : rates) {
            List<PointResult> at = sweep.stream().filter(r -> r.id().rateMsgsPerSec() == rate).toList();
            md.append("| ").append(thousands(rate)).append(" |");
            for (String v : variants) {
                String cell = cellAt(at, v, P99, 1, work, conns);
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

    /**
     * How the pattern of the sends moves the answer: for each load shape swept with more than one arrival
     * pattern, every variant's server CPU per message and p99 at each rate, pattern by pattern.
     */
    private void arrivalsTable(StringBuilder md, List<Sweep> sweeps) {
        Map<List<Object>, List<Sweep>> byShape = new LinkedHashMap<>();
        for (Sweep s : sweeps) {
            byShape.computeIfAbsent(List.of(s.connections(), s.sizeBytes(), s.work()), k -> new ArrayList<>()).add(s);
        }
        for (List<Sweep> shape : byShape.values()) {
            if (shape.size() < 2) continue;
            Sweep first = shape.get(0);
            md.append("### Arrival patterns, ").append(Report.thousands(first.connections())).append(" connections, ")
                    .append(first.sizeBytes()).append(" B").append(first.work().isNone() ? "" : ", work " + first.work())
                    .append(": server CPU per message (µs) / p99 (µs)\n\n");
            md.append("The same offered load sent evenly spaced, with Poisson gaps (the same mean rate, one seed shared by "
                    + "every variant of a point) or in bursts; medians.\n\n");
            header(md, "offered, msg/s", "arrivals");
            for (int rate : ints(first.points(), r -> r.id().rateMsgsPerSec())) {
                for (Sweep s : shape) {
                    List<PointResult> at = s.points().stream().filter(r -> r.id().rateMsgsPerSec() == rate).toList();
                    md.append("| ").append(thousands(rate)).append(" | ").append(s.arrivals().label()).append(" |");
                    for (String v : variants) {
                        Stats cpu = stats(at, v, SERVER_CPU_PER_1000, 1000);
                        Stats p99 = stats(at, v, P99, 1);
                        md.append(' ').append(cpu == null || p99 == null ? "–"
                                : Stats.format(cpu.median()) + " / " + Stats.format(p99.median())).append(" |");
                    }
                    md.append('\n');
                }
            }
            md.append('\n');
        }
    }

    /** Whether the medians at one rate meet the SLO; null without data. */
    private Boolean meets(List<PointResult> at, String variant, int rate, long slo) {
        Stats p99 = stats(at, variant, P99, 1);
        Stats tput = stats(at, variant, THROUGHPUT, 1);
        if (p99 == null || tput == null) return null;
        return Verdicts.meetsSlo(p99.median(), tput.median(), rate, slo);
    }

    String sustainable(List<PointResult> sweep, String variant, List<Integer> rates, long slo) {
        int best = -1;
        for (int rate : rates) {
            List<PointResult> at = sweep.stream().filter(r -> r.id().rateMsgsPerSec() == rate).toList();
            Boolean m = meets(at, variant, rate, slo);
            if (m == null) return best < 0 ? "–" : thousands(best) + " (sweep incomplete)";
            if (!m) break;
            best = rate;
        }
        if (best < 0) return "< " + thousands(rates.get(0));
        if (best == rates.get(rates.size() - 1)) return "≥ " + thousands(best);
        return thousands(best);
    }

    private void memoryTable(StringBuilder md, List<PointResult> idle) {
        md.append("### Memory per connection, ")
                .append(String.join(", ", ints(idle, r -> r.id().connections()).stream().map(Report::thousands).toList()))
                .append(" idle connections\n\n");
        md.append("Server RSS and heap after a full GC (jcmd GC.run), each measured before and after the connections "
                + "were opened; the difference divided by the number of connections.\n\n");
        md.append("| variant | RSS per connection, bytes | heap after GC per connection, bytes | threads with the connections open |\n");
        md.append("|---|---|---|---|\n");
        for (String v : variants) {
            if (idle.stream().noneMatch(r -> v.equals(r.id().variant()))) continue;
            md.append("| ").append(v).append(" | ").append(cell(idle, v, RSS_PER_CONN, 1)).append(" | ")
                    .append(cell(idle, v, HEAP_PER_CONN, 1)).append(" | ")
                    .append(cell(idle, v, THREADS, 1)).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * Which JDK ran each variant, where the run's Java servers ran on more than one (--jdk): the variant's
     * name carries the label, this table the release, version and path behind it.
     */
    private void jdkTable(StringBuilder md) {
        JsonNode jdks = env.path("jdks");
        Set<String> texts = new LinkedHashSet<>();
        for (PointResult r : rows) if (!r.jdk().isEmpty()) texts.add(r.jdk());
        if (jdks.size() < 2 && texts.size() < 2) return;
        Map<String, String> javaOf = new LinkedHashMap<>();
        for (JsonNode v : env.path("variants")) javaOf.put(v.path("name").asText(), v.path("java").asText(""));
        md.append("### JDKs\n\nThe Java servers ran on ").append(Math.max(jdks.size(), texts.size()))
                .append(" JDKs, each variant on each in turn within every point; the load client on the harness's.\n\n")
                .append("| variant | JDK (release and version) | java |\n|---|---|---|\n");
        for (String v : variants) {
            String jdk = rows.stream().filter(r -> v.equals(r.id().variant()) && !r.jdk().isEmpty())
                    .map(PointResult::jdk).findFirst().orElse("–");
            md.append("| ").append(v).append(" | ").append(jdk).append(" | ")
                    .append(javaOf.getOrDefault(v, "").isEmpty() ? "–" : "`" + javaOf.get(v) + "`").append(" |\n");
        }
        md.append("\n");
    }

    private void clientTable(StringBuilder md) {
        List<PointResult> measured = rows.stream().filter(r -> r.ok() && r.client() != null).toList();
        if (measured.isEmpty()) return;
        md.append("### Was the client the limit?\n\n");
        // Runs from before the client reported its busiest I/O thread were judged by its whole process.
        boolean busiestKnown = measured.stream().anyMatch(r -> !Double.isNaN(r.client().busiestIoThreadCpuPercent()));
        md.append("A point is suspect when more than 1% of the client's sends were late by its own schedule (it fell "
                + "behind, not the server) or "
                + (busiestKnown ? "its busiest I/O thread used 90% or more of a core (one saturated event loop). "
                        : "its CPU use came within 10% of what its threads can use. ")
                + "Client CPU is in percent of one core. Errors (mismatches, short echoes, early closes and connect "
                + "failures) are summed over every point.\n\n");
        md.append("| variant | points where the client may have been the limit | most late sends in a point, % of messages "
                + (busiestKnown ? "| highest busiest-I/O-thread CPU, % | errors |\n" : "| highest client CPU, % | errors |\n"));
        md.append("|---|---|---|---|---|\n");
        for (String v : variants) {
            List<PointResult> vr = measured.stream().filter(r -> v.equals(r.id().variant())).toList();
            if (vr.isEmpty()) continue;
            double late = 0;
            double cpu = 0;
            long errors = 0;
            long suspect = vr.stream().filter(r -> Boolean.TRUE.equals(r.verdicts().clientLimitSuspect())).count();
            for (PointResult r : vr) {
                var c = r.client();
                if (c.messages() > 0 && c.lateSends() > 0) late = Math.max(late, 100.0 * c.lateSends() / c.messages());
                double used = busiestKnown ? c.busiestIoThreadCpuPercent() : c.clientCpuPercent();
                if (!Double.isNaN(used)) cpu = Math.max(cpu, used);
                // The client's errors column already adds up every kind.
                errors += c.errors();
            }
            md.append("| ").append(v).append(" | ").append(suspect).append(" of ").append(vr.size()).append(" | ")
                    .append(Stats.format(late)).append(" | ").append(Stats.format(cpu))
                    .append(" | ").append(errors).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * How quiet the machine was: what other processes and the hypervisor took in each measured window,
     * and every point that crossed {@link MachineNoise#DISTURBED_PERCENT}. Nothing for a run from before
     * these figures were recorded.
     */
    private void noiseTable(StringBuilder md) {
        List<PointResult> measured = rows.stream().filter(r -> r.ok() && r.noise().disturbed() != null).toList();
        if (measured.isEmpty()) return;
        List<PointResult> disturbed = measured.stream().filter(r -> r.noise().disturbed()).toList();
        Stats other = Stats.of(measured.stream().map(r -> r.noise().otherCpuPercent()).toList());
        Stats steal = Stats.of(measured.stream().map(r -> r.noise().stealCpuPercent()).toList());
        md.append("### Was the machine quiet?\n\n")
                .append("CPU taken in each point's measured window by processes other than the server, the client and")
                .append(" the harness, and by the hypervisor (steal), in percent of one core: other median ")
                .append(percent(other == null ? null : other.median())).append(", max ")
                .append(percent(other == null ? null : other.max())).append("; steal median ")
                .append(percent(steal == null ? null : steal.median())).append(", max ")
                .append(percent(steal == null ? null : steal.max())).append(". **").append(disturbed.size()).append(" of ")
                .append(measured.size()).append(" points disturbed** (more than ")
                .append(percent(MachineNoise.DISTURBED_PERCENT)).append(" of a core taken by either).\n\n");
        if (disturbed.isEmpty()) return;
        md.append("| variant | point | rep | other % | steal % |\n|---|---|---|---|---|\n");
        for (PointResult r : disturbed) {
            md.append("| ").append(r.id().variant()).append(" | ").append(r.id().shape()).append(" | ").append(r.id().rep())
                    .append(" | ").append(percent(r.noise().otherCpuPercent())).append(" | ")
                    .append(percent(r.noise().stealCpuPercent())).append(" |\n");
        }
        md.append('\n');
    }

    private static String percent(Double v) {
        return v == null || v.isNaN() ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", v);
    }

    private void failedTable(StringBuilder md) {
        List<PointResult> failed = rows.stream().filter(r -> !r.ok()).toList();
        if (failed.isEmpty()) return;
        md.append("### Failed points\n\n| variant | point | rep | reason |\n|---|---|---|---|\n");
        for (PointResult r : failed) {
            md.append("| ").append(r.id().variant()).append(" | ").append(r.id().shape()).append(" | ").append(r.id().rep())
                    .append(" | ").append(r.reason().replace("|", "\\|")).append(" |\n");
        }
        md.append('\n');
    }

    private void notes(StringBuilder md) {
        List<String> lines = new ArrayList<>();
        env.path("notes").forEach(n -> lines.add(n.asText()));
        for (PointResult r : rows) {
            if (r.ok() && !r.reason().isEmpty()) lines.add(r.id().key() + ": " + r.reason());
        }
        if (tornRow != null) {
            lines.add("the last row of " + Summary.FILE + " was cut short (a crash while it was written) and is left out: `"
                    + tornRow.replace("`", "'") + "`");
        }
        if (lines.isEmpty()) return;
        md.append("### Notes\n\n");
        for (String l : lines) md.append("- ").append(l).append('\n');
        md.append('\n');
    }

    private String environmentLine() {
        JsonNode pin = env.path("pinning");
        JsonNode matrix = env.path("matrix");
        String pinning = pin.path("enabled").asBoolean(false)
                ? "servers on CPUs " + pin.path("server_cpus").asText() + ", client on CPUs " + pin.path("client_cpus").asText()
                : "no CPU pinning";
        List<String> jvmOptions = new ArrayList<>();
        env.path("server_jvm_options").forEach(o -> jvmOptions.add(o.asText()));
        return "JDK " + text(env.path("jdk").path("release")) + "; " + envText("cpu_model") + ", "
                + intText(env.path("cores")) + " cores; Linux " + envText("kernel") + "; " + pinning
                + "; server JVM options `" + String.join(" ", jvmOptions) + "`; git "
                + shortCommit() + ". " + intText(matrix.path("repetitions")) + " repetition(s) of "
                + text(matrix.path("warmup_s")) + " s warm-up + "
                + text(matrix.path("duration_s")) + " s measured per point.";
    }

    /** The CPU work's calibration, once per run for every variant; null for a run without CPU work. */
    private String workLine() {
        WorkCalibration cal = WorkCalibration.fromJson(env);
        if (cal == null || cal.iterations().isEmpty()) return null;
        Object counts = cal.toJson().get("cpu_iterations");
        return "CPU work per request, calibrated once for the run and passed to every variant (the C server included) as "
                + "`--cpu-iterations`: " + counts.toString().replace("{", "").replace("}", "").replace("=", " = ")
                + " iterations" + (Double.isNaN(cal.nanosPerIteration()) ? ""
                        : String.format(Locale.ROOT, " (%.3f ns per iteration)", cal.nanosPerIteration())) + ".";
    }

    private String shortCommit() {
        String c = envText("git_commit");
        String s = c.length() > 12 ? c.substring(0, 12) : c;
        return env.path("git_dirty").asBoolean(false) ? s + " (with uncommitted changes)" : s;
    }

    private String envText(String key) {
        return text(env.path(key));
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "?" : n.asText();
    }

    private static String intText(JsonNode n) {
        return n.isNumber() ? Long.toString(Math.round(n.asDouble())) : text(n);
    }

    long sloMicros() {
        for (PointResult r : rows) {
            Long v = r.verdicts().sloP99Micros();
            if (v != null && v > 0) return v;
        }
        JsonNode matrixSlo = env.path("matrix").path("slo_p99_us");
        return matrixSlo.isNumber() ? Math.round(matrixSlo.asDouble()) : DEFAULT_SLO_MICROS;
    }

    private void header(StringBuilder md, String... first) {
        md.append('|');
        for (String f : first) md.append(' ').append(f).append(" |");
        for (String v : variants) md.append(' ').append(v).append(" |");
        md.append("\n|");
        for (int i = 0; i < first.length + variants.size(); i++) md.append("---|");
        md.append('\n');
    }

    private List<PointResult> ok(Point.Mode mode) {
        return okRows(rows, mode);
    }

    /** The measured rows of a mode, without the active-among-idle points, which have a section of their own. */
    static List<PointResult> okRows(List<PointResult> rows, Point.Mode mode) {
        return rows.stream().filter(r -> r.id().mode() == mode && r.ok() && !r.id().amongIdle()).toList();
    }

    static Stats stats(List<PointResult> rows, String variant, Metric metric, double scale) {
        List<Double> values = new ArrayList<>();
        for (PointResult r : rows) {
            if (variant.equals(r.id().variant())) {
                Double v = metric.apply(r);
                if (v != null) values.add(v * scale);
            }
        }
        return Stats.of(values);
    }

    private static String cell(List<PointResult> rows, String variant, Metric metric, double scale) {
        Stats s = stats(rows, variant, metric, scale);
        return s == null ? "–" : s.cell();
    }

    static String thousands(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The distinct values of an integer property, in order. */
    static List<Integer> ints(List<PointResult> rows, ToIntFunction<PointResult> property) {
        TreeSet<Integer> s = new TreeSet<>();
        for (PointResult r : rows) s.add(property.applyAsInt(r));
        return List.copyOf(s);
    }

    /** Medians of {@code metric} by variant, then by the value of {@code x}. */
    static Map<String, Map<Integer, Stats>> medians(List<PointResult> rows, List<String> variants,
                                                   ToIntFunction<PointResult> x, Metric metric, double scale) {
        Map<String, Map<Integer, Stats>> out = new LinkedHashMap<>();
        for (String v : variants) {
            Map<Integer, Stats> byX = new LinkedHashMap<>();
            for (int xv : ints(rows, x)) {
                List<PointResult> at = rows.stream().filter(r -> x.applyAsInt(r) == xv).toList();
                Stats s = stats(at, v, metric, scale);
                if (s != null) byX.put(xv, s);
            }
            if (!byX.isEmpty()) out.put(v, byX);
        }
        return out;
    }
}

package study.echo.bench.compare.measure;

import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.Csv;
import study.echo.bench.compare.results.Summary;
import study.echo.bench.compare.ProcStats;
import study.echo.bench.compare.WindowSampler;
import study.echo.bench.compare.IdleProbe;
import study.echo.bench.compare.PointFailure;
import study.echo.bench.compare.ServerProcess;
import study.echo.bench.compare.CompareConfig;
import study.echo.bench.compare.Launch;
import study.echo.bench.compare.Children;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import study.echo.common.Durations;

/**
 * Measures one closed- or open-loop point: starts the variant's server, runs the load client against
 * it in its own process, and reads the server's counters from /proc over the client's measured window.
 */
public final class PointRunner {
    private final Children children;
    private final Launch launch;
    private final CompareConfig config;
    private final Path runDir;

    public PointRunner(Children children, Launch launch, CompareConfig config) {
        this.children = children;
        this.launch = launch;
        this.config = config;
        this.runDir = config.runDir();
    }

    /** Runs the point; a failure of the server or the client becomes a failed row, never an exception. */
    public Map<String, String> run(Point p) throws IOException, InterruptedException {
        Map<String, String> row = Summary.newRow(p, config.times());
        try {
            if (p.mode() == Point.Mode.IDLE) {
                new IdleProbe(children, launch, runDir).measure(p, row);
            } else {
                measure(p, row);
            }
            if (row.get("status").isEmpty()) row.put("status", "ok");
        } catch (PointFailure f) {
            row.put("status", "failed");
            row.put("reason", f.getMessage());
        } catch (IOException | RuntimeException e) {
            if (e instanceof Children.StoppedException || children.isClosed()) throw e;
            // A harness bug must not cost the rest of a long run: record it, show the trace, carry on.
            System.err.println("compare: harness error on " + p.key() + ":");
            e.printStackTrace();
            row.put("status", "failed");
            row.put("reason", "harness error: " + e);
        }
        return row;
    }

    /** A read of the server's /proc files; fails the point with the server's exit when it has died. */
    public interface ProcRead<T> {
        T read(long pid) throws IOException;
    }

    public static <T> T proc(ServerProcess server, ProcRead<T> read) throws PointFailure {
        try {
            return read.read(server.pid());
        } catch (IOException e) {
            if (!server.isAlive()) throw new PointFailure(server.deathReason());
            throw new PointFailure("cannot read /proc/" + server.pid() + ": " + e);
        }
    }

    private void measure(Point p, Map<String, String> row) throws PointFailure, IOException, InterruptedException {
        Path points = Files.createDirectories(runDir.resolve("points"));
        Path logs = Files.createDirectories(runDir.resolve("logs"));
        Path csv = points.resolve(p.key() + ".csv");
        Path hgrm = points.resolve(p.key() + ".hgrm");
        Path hlog = points.resolve(p.key() + ".hlog");
        Path timeline = points.resolve(p.key() + "-timeline.csv");
        for (Path f : List.of(csv, hgrm, hlog, timeline)) Files.deleteIfExists(f);

        try (ServerProcess server = ServerProcess.start(children, p.variant().command(launch),
                logs.resolve(p.key() + "-server.log"))) {
            long pid = server.pid();
            int baseFds = proc(server, ProcStats::openFds);
            Path clientLog = logs.resolve(p.key() + "-client.log");
            List<String> cmd = launch.clientCommand(clientArgs(p, server.target(), csv, hgrm, hlog, timeline));
            Files.writeString(clientLog, String.join(" ", cmd) + "\n");
            Process client = children.start(new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(clientLog.toFile())));
            WindowSampler sampler = new WindowSampler(pid, baseFds, p.connections(), rampTimeout(p),
                    config.warmup(), config.duration());
            Thread samplerThread = Thread.ofPlatform().daemon().name("sampler").start(sampler);

            Duration limit = rampTimeout(p).plus(config.warmup()).plus(config.duration()).plusSeconds(60);
            boolean finished = client.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            sampler.stop();
            samplerThread.join(10_000);
            if (!finished) {
                Children.stop(client, Duration.ofSeconds(3));
                throw new PointFailure("client did not finish within " + Durations.format(limit)
                        + (server.isAlive() ? " (server stopped answering?)" : "; " + server.deathReason()));
            }
            if (!server.isAlive()) throw new PointFailure(server.deathReason());
            long hwm = proc(server, ProcStats::light).hwmKib();
            int code = client.exitValue();
            if (code != 0) {
                throw new PointFailure("client exited with code " + code
                        + (code == 3 ? " (integrity failure)" : "") + ServerProcess.lastLine(clientLog));
            }
            Map<String, String> clientRow = lastRow(csv);
            for (String c : Summary.CLIENT_COLUMNS) {
                String v = clientRow.get(c);
                if (v != null) row.put(c, v);
            }
            double throughput = parse(clientRow.get("throughput_msgs_s"));
            if (!(throughput > 0)) throw new PointFailure("no message was echoed (server stopped answering?)");
            String stall = stoppedAnswering(timeline);
            if (stall != null) throw new PointFailure(stall);
            row.put("hgrm_file", runDir.relativize(hgrm).toString());
            row.put("hlog_file", runDir.relativize(hlog).toString());
            row.put("server_peak_rss_kib", Long.toString(hwm));
            sampler.fill(row, parse(clientRow.get("messages")), parse(clientRow.get("duration_s")),
                    CLIENT_START_S + (double) p.connections() / config.connectRatePerS());
            row.put("client_limit_suspect", Boolean.toString(clientLimited(clientRow)));
            if (p.mode() == Point.Mode.OPEN) {
                row.put("slo_p99_us", Long.toString(config.sloP99Micros()));
                double p99 = parse(clientRow.get("p99_us"));
                boolean meets = p99 <= config.sloP99Micros() && throughput >= 0.95 * p.rateMsgsPerS();
                row.put("meets_slo", Boolean.toString(meets));
            }
            String note = server.stop();
            if (note != null) row.put("reason", note);
        }
    }

    /**
     * The client, not the server, may have set the pace: more than 1% of its sends were late by its
     * own schedule, or its CPU use came within 10% of what its threads can use.
     */
    private boolean clientLimited(Map<String, String> clientRow) {
        double messages = parse(clientRow.get("messages"));
        double late = parse(clientRow.get("late_sends"));
        double cpu = parse(clientRow.get("client_cpu_percent"));
        return (messages > 0 && late > 0.01 * messages) || cpu >= 90.0 * config.clientThreads();
    }

    private List<String> clientArgs(Point p, String target, Path csv, Path hgrm, Path hlog, Path timeline) {
        List<String> a = new ArrayList<>(List.of(
                "--target", target,
                "--connections", Integer.toString(p.connections()),
                "--size", Integer.toString(p.sizeBytes()),
                "--duration", Durations.format(config.duration()),
                "--warmup", Durations.format(config.warmup()),
                "--connect-rate", Integer.toString(config.connectRatePerS()),
                "--threads", Integer.toString(config.clientThreads())));
        if (p.mode() == Point.Mode.OPEN) {
            a.addAll(List.of("--rate", Integer.toString(p.rateMsgsPerS()), "--max-in-flight", "1"));
        } else {
            a.addAll(List.of("--pipeline", "1"));
        }
        if (p.connections() > CompareConfig.SOURCE_ADDRESS_THRESHOLD) {
            a.addAll(List.of("--source-addresses", CompareConfig.SOURCE_ADDRESSES));
        }
        a.addAll(List.of("--csv", csv.toString(), "--hgrm", hgrm.toString(), "--hlog", hlog.toString(),
                "--timeline", timeline.toString(), "--quiet"));
        return a;
    }

    /** Generous time for the client JVM to start on a busy machine, before it connects. */
    public static final double CLIENT_START_S = 2.0;

    /** Time for the client JVM to start and open every connection at the configured rate. */
    private Duration rampTimeout(Point p) {
        return Duration.ofSeconds(15).plusMillis(1000L * p.connections() / config.connectRatePerS());
    }

    /**
     * A server that stops answering part way through a closed-loop point still shows some throughput
     * in the client's summary; its per-second timeline shows the silence. Returns why the point failed,
     * or null when echoes kept coming until the end (an open-loop point with no message due in a second
     * is not silence: at the sweep's rates every second has messages due).
     */
    public static String stoppedAnswering(Path timeline) throws IOException {
        if (!Files.exists(timeline)) return null;
        List<Map<String, String>> seconds = Csv.read(timeline);
        double silentS = 0;
        double previousEnd = 0;
        double lastEnd = 0;
        for (Map<String, String> s : seconds) {
            double end = parse(s.get("elapsed_s"));
            if (Double.isNaN(end)) continue;
            if (parse(s.get("messages")) > 0) {
                silentS = 0;
            } else {
                silentS += end - previousEnd;
            }
            previousEnd = end;
            lastEnd = end;
        }
        if (silentS >= STALL_S) {
            return String.format(java.util.Locale.ROOT,
                    "server stopped answering: no echo in the last %.1f s of the %.1f s measured", silentS, lastEnd);
        }
        return null;
    }

    /** Silence at the end of a point that counts as a server that stopped answering. */
    public static final double STALL_S = 1.0;

    private static Map<String, String> lastRow(Path csv) throws PointFailure, IOException {
        if (!Files.exists(csv)) throw new PointFailure("client wrote no CSV row");
        List<Map<String, String>> rows = Csv.read(csv);
        if (rows.isEmpty()) throw new PointFailure("client wrote no CSV row");
        return rows.get(rows.size() - 1);
    }

    public static double parse(String v) {
        if (v == null || v.isBlank()) return Double.NaN;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}

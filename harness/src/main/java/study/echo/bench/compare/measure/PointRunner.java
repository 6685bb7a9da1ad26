package study.echo.bench.compare.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import study.echo.bench.compare.plan.CompareConfig;
import study.echo.bench.compare.plan.Jdk;
import study.echo.bench.compare.plan.Point;
import study.echo.common.Csv;
import study.echo.bench.compare.results.MachineNoise;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.PointTimes;
import study.echo.bench.compare.results.ServerResources;
import study.echo.bench.compare.results.SyscallCounts;
import study.echo.bench.compare.results.Verdicts;
import study.echo.client.ClientResult;
import study.echo.common.Durations;
import study.echo.launch.Children;
import study.echo.launch.Launch;
import study.echo.launch.PointFailure;
import study.echo.launch.ServerProcess;

/**
 * Measures one closed- or open-loop point: starts the variant's server, runs the load client against
 * it in its own process, and reads the server's counters from /proc over the client's measured window.
 */
public final class PointRunner {
    private final Children children;
    private final Launch launch;
    private final CompareConfig config;
    private final Path runDir;
    private final WorkCalibration calibration;
    private final SyscallCounter syscalls;

    public PointRunner(Children children, Launch launch, CompareConfig config, WorkCalibration calibration) {
        this(children, launch, config, calibration, SyscallCounter.off("system calls not counted"));
    }

    /** @param syscalls what counts the servers' system calls over each measured window ({@code --syscalls}) */
    public PointRunner(Children children, Launch launch, CompareConfig config, WorkCalibration calibration,
                       SyscallCounter syscalls) {
        this.syscalls = syscalls;
        this.children = children;
        this.launch = launch;
        this.config = config;
        this.runDir = config.runDir();
        this.calibration = calibration;
    }

    /** Runs the point; a failure of the server or the client becomes a failed row, never an exception. */
    public PointResult run(Point p) throws IOException, InterruptedException {
        Jdk jdk = config.jdkOf(p.variant());
        return measureOrFail(p).withVariantOptions(p.variant().optionsText()).withJdk(jdk == null ? "" : jdk.text());
    }

    private PointResult measureOrFail(Point p) throws IOException, InterruptedException {
        PointTimes times = p.mode() == Point.Mode.IDLE ? null : config.times();
        try {
            return p.mode() == Point.Mode.IDLE ? new IdleProbe(children, launch, runDir).measure(p) : measure(p, times);
        } catch (PointFailure f) {
            return PointResult.failed(p.id(), times, f.getMessage());
        } catch (IOException | RuntimeException e) {
            if (e instanceof Children.StoppedException || children.isClosed()) throw e;
            // A harness bug must not cost the rest of a long run: record it, show the trace, carry on.
            System.err.println("compare: harness error on " + p.key() + ":");
            e.printStackTrace();
            return PointResult.failed(p.id(), times, "harness error: " + e);
        }
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

    private PointResult measure(Point p, PointTimes times) throws PointFailure, IOException, InterruptedException {
        Path points = Files.createDirectories(runDir.resolve("points"));
        Path logs = Files.createDirectories(runDir.resolve("logs"));
        Path csv = points.resolve(p.key() + ".csv");
        Path hgrm = points.resolve(p.key() + ".hgrm");
        Path hlog = points.resolve(p.key() + ".hlog");
        Path timeline = points.resolve(p.key() + "-timeline.csv");
        Path json = points.resolve(p.key() + ".json");
        for (Path f : List.of(csv, json, hgrm, hlog, timeline)) Files.deleteIfExists(f);

        List<String> work = calibration.serverArgs(p.work(), p.sizeBytes());
        try (ServerProcess server = ServerProcess.start(children, p.variant().command(launch, work),
                logs.resolve(p.key() + "-server.log"));
             SyscallWindow counting = new SyscallWindow(syscalls, children, server.pid(),
                     points.resolve(p.key() + "-syscalls.txt"), logs.resolve(p.key() + "-syscalls.log"))) {
            long pid = server.pid();
            int baseFds = proc(server, ProcStats::openFds);
            Path clientLog = logs.resolve(p.key() + "-client.log");
            List<String> cmd = launch.clientCommand(clientArgs(p, server.target(), csv, json, hgrm, hlog, timeline));
            Files.writeString(clientLog, String.join(" ", cmd) + "\n");
            Process client = children.start(new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(clientLog.toFile())));
            WindowSampler sampler = new WindowSampler(pid, client.pid(), baseFds, p.totalConnections(),
                    p.id().amongIdle() ? p.idleHeld() : 0, rampTimeout(p), config.warmup(), config.duration(), counting);
            Thread samplerThread = Thread.ofPlatform().daemon().name("sampler").start(sampler);

            Duration limit = config.warmup().plus(config.duration()).plusSeconds(60);
            boolean finished = awaitClient(client, sampler, limit);
            sampler.stop();
            samplerThread.join(10_000);
            if (!finished) {
                Children.stop(client, Duration.ofSeconds(3));
                String ramp = sampler.rampOutcome();
                throw new PointFailure("client did not finish within " + Durations.format(limit)
                        + (ramp == null ? " of the wait for the server's accepts reaching its limit" : " " + ramp)
                        + (server.isAlive() ? " (server stopped answering?)" : "; " + server.deathReason()));
            }
            if (!server.isAlive()) throw new PointFailure(server.deathReason());
            long hwm = proc(server, ProcStats::light).hwmKib();
            int code = client.exitValue();
            if (code != 0) {
                throw new PointFailure("client exited with code " + code
                        + clientExit(code) + ServerProcess.lastLine(clientLog));
            }
            ClientResult measured = readResult(json);
            if (!(measured.throughputMsgsPerS() > 0)) throw new PointFailure("no message was echoed (server stopped answering?)");
            String stall = stoppedAnswering(timeline);
            if (stall != null) throw new PointFailure(stall);
            List<String> notes = new ArrayList<>();
            ServerResources resources = sampler.resources(measured.messages(), measured.durationS(),
                    CLIENT_START_S + (double) p.connections() / config.connectRatePerSec(), notes);
            MachineNoise noise = sampler.noise(notes);
            SyscallCounts counted = counting.result(measured.messages(), measured.durationS(), notes);
            Verdicts verdicts = Verdicts.judge(p.id(), measured, config.clientThreads(), config.sloP99Micros());
            String note = server.stop(p.totalConnections());
            if (note != null) notes.add(note);
            return new PointResult(p.id(), times, PointResult.Status.OK, String.join("; ", notes), measured,
                    resources.withPeakRssKib(hwm), noise, null, verdicts,
                    runDir.relativize(hgrm).toString(), runDir.relativize(hlog).toString()).withSyscalls(counted);
        }
    }

    /**
     * Waits for the client: first while the server accepts its connections, which goes at the server's
     * pace when idle ones are held first (the sampler's wait, bounded), then {@code afterRamp} for its
     * warm-up, its window and a margin. False when it is still running then.
     */
    static boolean awaitClient(Process client, WindowSampler sampler, Duration afterRamp)
            throws InterruptedException {
        long rampLimit = System.nanoTime() + sampler.maxRamp().plusSeconds(10).toNanos();
        while (client.isAlive() && !sampler.awaitRampEnd(Duration.ofMillis(200))) {
            if (System.nanoTime() - rampLimit >= 0) break;
        }
        return client.waitFor(afterRamp.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The client's exit code in words, as its --help documents them. */
    static String clientExit(int code) {
        return switch (code) {
            case 3 -> " (integrity failure, or every connection lost)";
            case 4 -> " (the server stopped answering)";
            case 5 -> " (an idle connection held among the active ones was lost)";
            case 130 -> " (the client was stopped by a signal)";
            default -> "";
        };
    }

    List<String> clientArgs(Point p, String target, Path csv, Path json, Path hgrm, Path hlog, Path timeline) {
        List<String> a = new ArrayList<>(List.of(
                "--target", target,
                "--connections", Integer.toString(p.connections()),
                "--size", Integer.toString(p.sizeBytes()),
                "--duration", Durations.format(config.duration()),
                "--warmup", Durations.format(config.warmup()),
                "--connect-rate", Integer.toString(config.connectRatePerSec()),
                "--client-threads", Integer.toString(config.clientThreads())));
        if (p.mode() == Point.Mode.OPEN) {
            a.addAll(List.of("--rate", Integer.toString(p.rateMsgsPerSec()), "--max-in-flight",
                    Integer.toString(p.arrivals().inFlightNeeded()),
                    "--arrivals", p.arrivals().label(), "--seed", Long.toString(p.id().arrivalsSeed())));
        } else {
            a.addAll(List.of("--pipeline", "1"));
        }
        if (p.id().amongIdle()) a.addAll(List.of("--hold-idle", Integer.toString(p.idleHeld())));
        if (p.totalConnections() > CompareConfig.SOURCE_ADDRESS_THRESHOLD) {
            a.addAll(List.of("--source-addresses", CompareConfig.SOURCE_ADDRESSES));
        }
        a.addAll(List.of("--csv", csv.toString(), "--json", json.toString(), "--hgrm", hgrm.toString(), "--hlog", hlog.toString(),
                "--timeline", timeline.toString(), "--quiet"));
        return a;
    }

    /** Generous time for the client JVM to start on a busy machine, before it connects. */
    private static final double CLIENT_START_S = 2.0;

    /** Time for the client JVM to start and open every connection at the configured rate. */
    private Duration rampTimeout(Point p) {
        return Duration.ofSeconds(15).plusMillis(1000L * p.totalConnections() / config.connectRatePerSec());
    }

    /**
     * A server that stops answering part way through a closed-loop point still shows some throughput
     * in the client's summary; its per-second timeline shows the silence. Returns why the point failed,
     * or null when echoes kept coming until the end (an open-loop point with no message due in a second
     * is not silence: at the sweep's rates every second has messages due).
     */
    static String stoppedAnswering(Path timeline) throws IOException {
        if (!Files.exists(timeline)) return null;
        List<Map<String, String>> seconds = Csv.readTable(timeline);
        double silentS = 0;
        double previousEnd = 0;
        double lastEnd = 0;
        for (Map<String, String> s : seconds) {
            double end = timelineNumber(s.get("elapsed_s"));
            if (Double.isNaN(end)) continue;
            if (timelineNumber(s.get("messages")) > 0) {
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
    private static final double STALL_S = 1.0;

    private static double timelineNumber(String v) {
        try {
            return v == null ? Double.NaN : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static ClientResult readResult(Path json) throws PointFailure {
        if (!Files.exists(json)) throw new PointFailure("client wrote no result file " + json.getFileName());
        try {
            return ClientResult.read(json);
        } catch (IOException e) {
            throw new PointFailure("cannot read the client's result " + json.getFileName() + ": " + e.getMessage());
        }
    }
}

package study.echo.bench.compare;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.report.Report;
import study.echo.bench.compare.results.Summary;
import study.echo.common.BadOptionException;
import study.echo.common.Durations;
import study.echo.common.UserException;

/** {@code bench compare}: every server variant through the same matrix, into one run folder. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run every server variant through the same matrix: closed-loop throughput, open-loop latency sweeps"
                    + " at the same absolute rates for every variant, and memory per idle connection.",
            "Each server runs in its own JVM (identical options), the load client in another. Writes summary.csv,"
                    + " per-point .hgrm/.hlog, environment.json, charts and report.md into the run folder."},
        footerHeading = "%nProfiles (times for a 2-core machine):%n",
        footer = {
            "  quick  (default) closed loop, pipeline 1, at 100 and 1000 connections x 64 B and 4096 B;",
            "         open loop at 100 connections, 64 B, 10000 and 40000 msg/s; memory with 10000 idle",
            "         connections. 1 s warm-up + 2 s measured per point, 1 repetition, 5 variants:",
            "         35 points, about 3.5 minutes.",
            "  full   closed loop at 1, 10, 100, 1000 and 10000 connections x 64 B and 4096 B; open loop at",
            "         100 connections, 64 B, 5000, 10000, 20000, 40000, 60000, 80000 msg/s; memory with 10000",
            "         idle connections. 2 s warm-up + 4 s measured per point, 3 repetitions, 5 variants:",
            "         255 points, about 38 minutes.",
            "Connection counts above the open-files limit (ulimit -n) are cut, with a note.",
            "Variants: selector-1, selector-N (one loop per core), loom-virtual, loom-platform, native (C epoll",
            "ceiling, compiled from native/echo_server.c when a C compiler is present, else skipped with a note).",
            "Ctrl-C stops every child process and keeps the partial results; --resume continues the run."})
public final class CompareCommand implements Callable<Integer> {
    /** Connections a process keeps for itself (JVM, listening socket, logs) beyond the measured ones. */
    static final int FD_HEADROOM = 256;
    static final int MAX_SIZE_BYTES = 16 * 1024 * 1024;

    @Option(names = "--profile", defaultValue = "quick", paramLabel = "quick|full",
            description = "Matrix, durations and repetitions, see below (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: results/<UTC timestamp>/, and results/latest points to it)."
                    + " An existing run folder is refused unless --resume is given.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out DIR: skip the points it already holds.")
    boolean resume;

    @Option(names = "--variants", split = ",", paramLabel = "NAME,...",
            description = "Variants to run (default: all): selector-1, selector-N, loom-virtual, loom-platform, native.")
    List<String> variants;

    @Option(names = "--connections", split = ",", paramLabel = "N,...",
            description = "Closed-loop connection counts, 1-1000000, instead of the profile's. Open-loop sweeps run at"
                    + " the profile's count if listed, else at the middle of this list.")
    List<Integer> connections;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES,...",
            description = "Message sizes in bytes, 1-16777216, instead of the profile's (64 and 4096)."
                    + " Open-loop sweeps use 64 if listed, else the first size.")
    List<Integer> sizes;

    @Option(names = "--rates", split = ",", paramLabel = "MSGS_PER_S,...",
            description = "Offered loads of the open-loop sweeps, in messages per second over all connections,"
                    + " instead of the profile's; the same for every variant. 'none' skips the sweeps.")
    List<String> rates;

    @Option(names = "--warmup", paramLabel = "DURATION",
            description = "Warm-up before every measured point, e.g. 2s (default: the profile's).")
    Duration warmup;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Measured time of every point, e.g. 5s (default: the profile's).")
    Duration duration;

    @Option(names = "--reps", paramLabel = "N", description = "Repetitions of every point, 1-100 (default: the profile's).")
    Integer reps;

    @Option(names = "--idle-connections", paramLabel = "N",
            description = "Idle connections for memory per connection, 0 to skip (default: the profile's, 10000).")
    Integer idleConnections;

    @Option(names = "--slo-p99", defaultValue = "5ms", paramLabel = "DURATION",
            description = "Open-loop p99 latency a rate must stay under to count as sustainable (default: ${DEFAULT-VALUE}).")
    Duration sloP99;

    @Option(names = "--connect-rate", defaultValue = "2500", paramLabel = "PER_S",
            description = "Connections the client opens per second; the ramp is not measured (default: ${DEFAULT-VALUE}).")
    int connectRate;

    @Option(names = "--client-threads", paramLabel = "T",
            description = "Event-loop threads of the load client, 1-256 (default: half the client's CPUs, at least 1).")
    Integer clientThreads;

    @Option(names = "--pin", description = "Pin servers to the first half of the CPUs and the client to the other"
            + " half with taskset (recorded in environment.json).")
    boolean pin;

    @Option(names = "--server-jvm-options", paramLabel = "OPTS",
            description = "JVM options of every Java server, one string (default: -Xms256m -Xmx1g -XX:+UseG1GC).")
    String serverJvmOptions;

    @Option(names = "--client-jvm-options", paramLabel = "OPTS",
            description = "JVM options of the load client, one string (default: -Xms256m -Xmx1g -XX:+UseG1GC).")
    String clientJvmOptions;

    @Option(names = "--dry-run", description = "Print the points in the order they would run and the planned time; run nothing.")
    boolean dryRun;

    @Option(names = "--no-report", description = "Do not draw charts and report.md at the end (./bench report DIR does).")
    boolean noReport;

    /** Test hook: {@code NAME=COMMAND ...}, an extra variant started by that command (split on spaces). */
    @Option(names = "--variant-command", hidden = true)
    List<String> extraVariants = new ArrayList<>();

    /** Test and tooling hook: a command that replaces {@code java ... Bench client}. */
    @Option(names = "--client-command", hidden = true)
    String clientCommand;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (resume && out == null) throw new BadOptionException("--resume needs --out DIR, the run folder to continue");
        Path root = repoRoot();
        List<String> notes = new ArrayList<>();
        Profile prof = switch (profile) {
            case "quick" -> Profile.QUICK;
            case "full" -> Profile.FULL;
            default -> throw new BadOptionException("--profile must be quick or full, got '" + profile + "'");
        };
        int cores = Runtime.getRuntime().availableProcessors();
        String serverCpus = null;
        String clientCpus = null;
        int serverCores = cores;
        if (pin) {
            if (cores < 2) throw new UserException("--pin needs at least 2 CPUs; this machine has " + cores);
            if (Environment.run(root, Duration.ofSeconds(5), "taskset", "-p", "1") == null
                    && Environment.run(root, Duration.ofSeconds(5), "taskset", "--version") == null) {
                throw new UserException("--pin needs taskset (util-linux), which is not installed");
            }
            serverCores = cores / 2;
            serverCpus = serverCores == 1 ? "0" : "0-" + (serverCores - 1);
            clientCpus = cores - serverCores == 1 ? String.valueOf(serverCores) : serverCores + "-" + (cores - 1);
        }

        Map<String, Variant> known = new LinkedHashMap<>();
        for (Variant v : Variant.standard(serverCores)) known.put(v.name(), v);
        for (String spec : extraVariants) {
            int eq = spec.indexOf('=');
            if (eq <= 0) throw new BadOptionException("--variant-command wants NAME=COMMAND, got '" + spec + "'");
            known.put(spec.substring(0, eq), new Variant(spec.substring(0, eq), Variant.Kind.CUSTOM,
                    "custom command", List.of(spec.substring(eq + 1).trim().split("\\s+"))));
        }
        List<Variant> chosen = new ArrayList<>();
        List<String> names = variants == null ? Variant.standard(serverCores).stream().map(Variant::name).toList() : variants;
        for (String n : names) {
            Variant v = known.get(n.trim());
            if (v == null) throw new BadOptionException("unknown variant '" + n + "'; choose from " + String.join(", ", known.keySet()));
            if (!chosen.contains(v)) chosen.add(v);
        }

        List<Integer> closedConns = connections == null ? prof.closedConnections() : checked(connections, "--connections", 1, 1_000_000);
        List<Integer> sizeList = sizes == null ? prof.sizesBytes() : checked(sizes, "--sizes", 1, MAX_SIZE_BYTES);
        List<Integer> rateList = rates == null ? prof.ratesMsgsPerS()
                : rates.equals(List.of("none")) ? List.of() : checked(integers(rates, "--rates"), "--rates", 1, 100_000_000);
        List<Integer> openConns = pick(prof.openConnections(), closedConns);
        List<Integer> openSizes = pick(prof.openSizesBytes(), sizeList);
        Duration warm = warmup == null ? prof.warmup() : warmup;
        Duration dur = duration == null ? prof.duration() : duration;
        int repCount = reps == null ? prof.reps() : reps;
        int idle = idleConnections == null ? prof.idleConnections() : idleConnections;
        if (warm.isNegative()) throw new BadOptionException("--warmup must not be negative");
        if (dur.toMillis() < 1000) throw new BadOptionException("--duration must be at least 1s, got " + Durations.format(dur));
        if (repCount < 1 || repCount > 100) throw new BadOptionException("--reps must be between 1 and 100, got " + repCount);
        if (idle < 0 || idle > 1_000_000) throw new BadOptionException("--idle-connections must be between 0 and 1000000");
        int clientCores = pin ? cores - serverCores : cores;
        int threads = clientThreads == null ? Math.max(1, clientCores / 2) : clientThreads;
        if (threads < 1 || threads > 256) throw new BadOptionException("--client-threads must be between 1 and 256");
        if (connectRate < 1) throw new BadOptionException("--connect-rate must be at least 1");
        if (sloP99.toNanos() < 1000) throw new BadOptionException("--slo-p99 must be at least 1us");

        long fdLimit = ProcStats.openFileLimit();
        if (fdLimit > 0) {
            long max = fdLimit - FD_HEADROOM;
            closedConns = cut(closedConns, max, fdLimit, "closed-loop", notes);
            openConns = cut(openConns, max, fdLimit, "open-loop", notes);
            if (idle > max) {
                notes.add("idle connections cut from " + idle + " to " + max + ": the open-files limit (ulimit -n) is "
                        + fdLimit + "; raise it to measure more");
                idle = (int) max;
            }
        }

        Path compilerBinary = null;
        String compiler = null;
        Variant nativeVariant = known.get(Variant.NATIVE);
        List<Variant> skipped = new ArrayList<>();
        if (chosen.contains(nativeVariant)) {
            NativeBuild build = NativeBuild.compile(root);
            compilerBinary = build.binary();
            compiler = build.compiler();
            if (compilerBinary == null) {
                notes.add("native variant skipped: " + build.note());
                chosen.remove(nativeVariant);
                skipped.add(nativeVariant);
            }
        }
        if (chosen.isEmpty()) throw new UserException("no variant left to run" + (notes.isEmpty() ? "" : ": " + notes));

        boolean defaultOut = out == null;
        Path runDir = defaultOut
                ? root.resolve("results").resolve(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")))
                : out.toAbsolutePath().normalize();
        CompareConfig config = new CompareConfig(prof.name(), warm, dur, repCount, List.copyOf(chosen), closedConns,
                sizeList, openConns, openSizes, rateList, idle, sloP99.toNanos() / 1000, connectRate, threads, runDir, resume,
                pin, List.copyOf(notes));
        Launch launch = new Launch(javaBinary(), System.getProperty("java.class.path"),
                jvmOptions(serverJvmOptions, Launch.DEFAULT_SERVER_JVM_OPTIONS),
                jvmOptions(clientJvmOptions, Launch.DEFAULT_CLIENT_JVM_OPTIONS),
                serverCpus, clientCpus, compilerBinary,
                clientCommand == null ? List.of() : List.of(clientCommand.trim().split("\\s+")));

        List<Point> plan = Plan.of(config);
        System.err.printf("compare: %s profile, %d points (%s), %s warm-up + %s measured, %d repetition(s), into %s;"
                        + " planned %s%n", prof.name(), plan.size(), String.join(" ", chosen.stream().map(Variant::name).toList()),
                Durations.format(warm), Durations.format(dur), repCount, runDir,
                Comparison.clock(Plan.estimateSeconds(plan, config)));
        for (String n : notes) System.err.println("compare: note: " + n);
        if (dryRun) {
            for (Point p : plan) System.out.println(p.describe(repCount));
            return 0;
        }

        if (defaultOut) {
            Files.createDirectories(runDir);
            updateLatest(runDir);
        }
        Map<String, Object> env = Environment.describe(config, launch, root, skipped, compiler);
        int failed = new Comparison(config, launch, env, System.err).run();
        if (!noReport) {
            Report.Result r = new Report(runDir).write();
            System.out.println("report: " + r.markdown() + " (" + r.charts() + " charts)");
        }
        System.out.println("results: " + runDir.resolve(Summary.FILE)
                + (failed > 0 ? " (" + failed + " point(s) failed; see the reason column)" : ""));
        return 0;
    }

    private static List<Integer> checked(List<Integer> values, String option, int min, int max) {
        for (int v : values) {
            if (v < min || v > max) throw new BadOptionException(option + " values must be between " + min + " and " + max + ", got " + v);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(values));
    }

    private static List<Integer> integers(List<String> values, String option) {
        List<Integer> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new BadOptionException(option + " wants whole numbers or 'none', got '" + v + "'");
            }
        }
        return out;
    }

    /** The profile's values still in {@code list}, or the middle of the list when none is. */
    private static List<Integer> pick(List<Integer> preferred, List<Integer> list) {
        List<Integer> kept = preferred.stream().filter(list::contains).toList();
        if (!kept.isEmpty()) return kept;
        List<Integer> sorted = list.stream().sorted().toList();
        return List.of(sorted.get((sorted.size() - 1) / 2));
    }

    private static List<Integer> cut(List<Integer> conns, long max, long fdLimit, String what, List<String> notes) {
        List<Integer> kept = conns.stream().filter(c -> c <= max).toList();
        if (kept.size() < conns.size()) {
            List<Integer> dropped = conns.stream().filter(c -> c > max).toList();
            notes.add(what + " connection counts " + dropped + " cut: the open-files limit (ulimit -n) is " + fdLimit
                    + ", which allows at most " + max + " connections per process; raise it to run them");
        }
        return kept;
    }

    private static List<String> jvmOptions(String text, List<String> defaults) {
        if (text == null) return defaults;
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    /** The java that runs this JVM, which the launcher exports as BENCH_JAVA. */
    static Path javaBinary() {
        String env = System.getenv("BENCH_JAVA");
        if (env != null && Files.isExecutable(Path.of(env))) return Path.of(env);
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** The checkout this jar was built from: the nearest folder up with both {@code bench} and {@code pom.xml}. */
    static Path repoRoot() {
        try {
            Path p = Path.of(CompareCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = p; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("bench")) && Files.isRegularFile(d.resolve("pom.xml"))) return d;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // Fall back to the working directory.
        }
        return Path.of("").toAbsolutePath();
    }

    private static void updateLatest(Path runDir) {
        Path link = runDir.getParent().resolve("latest");
        try {
            if (Files.isSymbolicLink(link) || !Files.exists(link)) {
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, runDir.getFileName());
            }
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("compare: note: could not update " + link + ": " + e.getMessage());
        }
    }
}

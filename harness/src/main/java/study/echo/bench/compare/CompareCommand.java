package study.echo.bench.compare;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import study.echo.bench.compare.measure.Environment;
import study.echo.bench.compare.measure.ProcStats;
import study.echo.bench.compare.measure.WorkCalibration;
import study.echo.bench.compare.results.RunJson;
import study.echo.common.work.WorkSpec;
import study.echo.bench.compare.plan.CompareConfig;
import study.echo.bench.compare.plan.CompareOptions;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.report.Report;
import study.echo.bench.compare.results.Summary;
import study.echo.common.BadOptionException;
import study.echo.common.Durations;
import study.echo.common.UserException;
import study.echo.launch.Commands;
import study.echo.launch.Launch;
import study.echo.launch.NativeBuild;
import study.echo.launch.Variant;

/** {@code bench compare}: every server variant through the same matrix, into one run folder. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run every server variant through the same matrix: closed-loop throughput, open-loop latency sweeps"
                    + " at the same absolute rates for every variant, and memory per idle connection.",
            "Each server runs in its own JVM (identical options, plus a variant's own), the load client in another. Writes summary.csv,"
                    + " per-point .hgrm/.hlog, environment.json, charts and report.md into the run folder."},
        footerHeading = "%nProfiles (times for a 2-core machine):%n",
        footer = {
            "  quick  (default) closed loop, pipeline 1, at 100 and 1000 connections x 64 B and 4096 B;",
            "         open loop at 100 connections, 64 B, 10000 and 40000 msg/s; memory with 10000 idle",
            "         connections. 1 s warm-up + 2 s measured per point, 1 repetition, 7 variants:",
            "         49 points, about 5 minutes.",
            "  full   closed loop at 1, 10, 100, 1000 and 10000 connections x 64 B and 4096 B; open loop at",
            "         100 connections, 64 B, 5000, 10000, 20000, 40000, 60000, 80000 msg/s; memory with 10000",
            "         idle connections. 2 s warm-up + 4 s measured per point, 3 repetitions, 7 variants:",
            "         357 points, about 54 minutes.",
            "  workloads  work per request: closed loop at 100, 1000 and 10000 connections x 64 B x work",
            "         cpu {0, 10us, 100us} x wait {0, 1ms, 10ms, 100ms}; open loop at 1000 connections,",
            "         64 B, cpu:10us+wait:10ms, 2000, 5000, 10000, 20000, 40000 msg/s; no idle point.",
            "         2 s warm-up + 8 s measured, 1 repetition, 7 variants (native and netty-epoll only",
            "         where the work does not wait, the offloading selectors only where it does):",
            "         176 points, about 41 minutes.",
            "--work LIST adds work per request to any matrix (none, cpu:D, wait:D, cpu:D1+wait:D2); the CPU",
            "work is calibrated once per run and every server gets the same --cpu-iterations.",
            "Connection counts above the open-files limit (ulimit -n) are cut, with a note.",
            "Variants: selector-1, selector-N (one loop per core), selector-offload-platform and",
            "selector-offload-virtual (one loop handing requests to 256 platform threads or to virtual threads),",
            "loom-virtual, loom-platform, netty-nio and",
            "netty-epoll (Netty 4.2 on its NIO and native epoll transports), native (C epoll",
            "ceiling, compiled from native/echo_server.c when a C compiler is present, else skipped with a note).",
            "selector-poll (selector-1 on the JDK's poll(2) Selector) is outside both profiles' defaults, since it",
            "only lengthens them without idle connections to scan: name it in --variants. --variant adds your own,",
            "--list-variants shows them all.",
            "Ctrl-C stops every child process and keeps the partial results; --resume continues the run.",
            "",
            "Exit codes:",
            "  0    every point was measured",
            "  1    nothing could run: no variant or no point left, the run folder",
            "       cannot be written, --pin without taskset",
            "  2    bad options, or a --jdk path that holds no runnable JDK 21 or newer",
            "  3    some or all points failed; what was measured is written, and the",
            "       reason column of summary.csv says why the rest failed",
            "  130  stopped by Ctrl-C or SIGTERM; the partial results are kept"})
public final class CompareCommand implements Callable<Integer> {
    /** Exit code when any point failed, or none could be measured; what was measured is written. */
    public static final int EXIT_POINTS_FAILED = 3;
    private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(5);

    @Mixin
    CompareOptions options;

    @Option(names = "--dry-run", description = "Print the points in the order they would run and the planned time;"
            + " run, compile and probe nothing (the native variant is listed even where no C compiler is).")
    boolean dryRun;

    @Option(names = "--list-variants", description = "Print every variant (the built-in table, then those of --variant):"
            + " name, server command, server options, JVM options of its own (after --server-jvm-options) and what it is;"
            + " run, compile and probe nothing.")
    boolean listVariants;

    @Option(names = "--no-report", description = "Do not draw charts and report.md at the end (./bench report DIR does).")
    boolean noReport;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = repoRoot();
        int cores = Runtime.getRuntime().availableProcessors();
        if (listVariants) {
            printVariants(options.variantTableOnEachJdk(cores));
            return 0;
        }
        CompareConfig config = options.toConfig(cores, ProcStats.openFileLimit(), root.resolve("results"));
        if (dryRun) {
            List<Point> plan = announce(config);
            for (Point p : plan) System.out.println(p.describe(config.reps()));
            for (String line : Plan.notApplicable(config)) System.out.println(line);
            return 0;
        }
        if (config.pin()) requireTaskset(root);
        NativeBuild build = config.variants().stream().anyMatch(v -> v.name().equals(Variant.NATIVE))
                ? NativeBuild.compile(root) : null;
        if (build != null && build.binary() == null) config = withoutNative(config, build.note());
        announce(config);
        Launch launch = options.toLaunch(javaBinary(), System.getProperty("java.class.path"), cores,
                build == null ? null : build.binary());
        List<Variant> skipped = build != null && build.binary() == null
                ? List.of(Variant.named(Variant.NATIVE, cores)) : List.of();
        RunFolder.create(config.runDir(), options.defaultOut());
        WorkCalibration calibration = calibration(config);
        Map<String, Object> environment = Environment.describe(config, launch, root, skipped,
                build == null ? null : build.compiler());
        environment.put(WorkCalibration.KEY, calibration.toJson());
        environment.put("not_applicable", Plan.notApplicable(config));
        Comparison.Outcome outcome = new Comparison(config, launch, environment, calibration, System.err).run();
        if (!noReport) {
            Report.Result r = new Report(config.runDir()).write();
            System.out.println("report: " + r.markdown() + " (" + r.charts() + " charts)");
        }
        System.out.println("results: " + config.runDir().resolve(Summary.FILE) + outcome.summary());
        return outcome.failed() > 0 || outcome.measured() == 0 ? EXIT_POINTS_FAILED : 0;
    }

    private static void printVariants(List<Variant> variants) {
        // --jdk's suffixes (selector-offload-platform@jdk25-2) widen the first column.
        int nameWidth = Math.max(14, variants.stream().mapToInt(v -> v.name().length()).max().orElse(0));
        String row = "%-" + nameWidth + "s %-8s %-38s %-40s %s%n";
        System.out.printf(row, "NAME", "SERVER", "SERVER_OPTIONS", "JVM_OPTIONS", "DESCRIPTION");
        for (Variant v : variants) {
            System.out.printf(row, v.name(), v.serverCommand(), String.join(" ", v.args()),
                    v.jvmOptions().isEmpty() ? "-" : String.join(" ", v.jvmOptions()),
                    v.description() + (v.serverJava() == null ? "" : ", on " + v.serverJava()));
        }
    }

    /** Prints the plan's header line and notes; a plan with no point is refused, since it would measure nothing. */
    private static List<Point> announce(CompareConfig config) {
        List<Point> plan = Plan.of(config);
        System.err.printf("compare: %s profile, %d points (%s), %s warm-up + %s measured, %d repetition(s), into %s;"
                        + " planned %s%n", config.profileName(), plan.size(),
                String.join(" ", config.variants().stream().map(Variant::name).toList()),
                Durations.format(config.warmup()), Durations.format(config.duration()), config.reps(), config.runDir(),
                Comparison.clock(Plan.estimateSeconds(plan, config)));
        for (String n : config.notes()) System.err.println("compare: note: " + n);
        if (plan.isEmpty()) throw new UserException("nothing to measure: no point is left in the matrix (see the notes above)");
        return plan;
    }

    /**
     * The iteration counts of the CPU work: those the run folder recorded when resuming (so the rest of
     * the run does the same work as its start), else measured now, once for every variant.
     */
    private static WorkCalibration calibration(CompareConfig config) throws IOException {
        Path envFile = config.runDir().resolve(Environment.FILE);
        if (config.resume() && Files.exists(envFile)) {
            WorkCalibration earlier = WorkCalibration.fromJson(RunJson.readObject(envFile));
            if (earlier != null && earlier.covers(config.works()) && earlier.covers(config.openWorks())) return earlier;
        }
        List<WorkSpec> all = new ArrayList<>(config.works());
        all.addAll(config.openWorks());
        WorkCalibration measured = WorkCalibration.measure(all);
        if (!measured.iterations().isEmpty()) {
            System.err.printf(Locale.ROOT, "compare: CPU work calibrated once for every variant: %.3f ns per iteration, %s%n",
                    measured.nanosPerIteration(), measured.toJson().get("cpu_iterations"));
        }
        return measured;
    }

    private static CompareConfig withoutNative(CompareConfig config, String why) {
        String note = "native variant skipped: " + why;
        if (config.variants().size() == 1) throw new UserException("no variant left to run: " + note);
        return config.without(config.variants().stream().filter(v -> v.name().equals(Variant.NATIVE)).findFirst().orElseThrow(), note);
    }

    private static void requireTaskset(Path root) {
        if (Commands.outputOf(root, PROBE_TIMEOUT, "taskset", "-p", "1") == null
                && Commands.outputOf(root, PROBE_TIMEOUT, "taskset", "--version") == null) {
            throw new UserException("--pin needs taskset (util-linux), which is not installed");
        }
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
}

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
import study.echo.bench.compare.measure.SyscallCounter;
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
import study.echo.common.UnsupportedOptionException;
import study.echo.common.Durations;
import study.echo.common.UserException;
import java.util.Objects;
import java.util.Optional;
import study.echo.bench.compare.plan.JdkCheck;
import study.echo.launch.Children;
import study.echo.launch.Commands;
import study.echo.launch.JdkSupport;
import study.echo.launch.ServerProcess;
import study.echo.launch.VariantProbe;
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
            "  active-among-idle  100 active connections in the closed loop, 64 B, while the server holds",
            "         0, 1000, 10000 or 18000 idle ones (--idle-with-active, --active-connections); 2 s",
            "         warm-up + 5 s measured, 2 repetitions, selector-1, selector-poll, loom-virtual,",
            "         loom-platform, netty-epoll, native: 48 points, about 11 minutes.",
            "  loom-tuning  loom-virtual, its seven tuning rows (below) and selector-1: closed loop at 100,",
            "         1000 and 10000 connections x 64 B; open loop at 100 connections, 64 B, 10000, 30000",
            "         and 50000 msg/s; no idle point. 2 s warm-up + 4 s measured, 3 repetitions. A row the",
            "         servers' JDK does not support is skipped with a note (on JDK 25 loom-direct-register):",
            "         144 points on JDK 25, about 22 minutes (at most 30 with all nine rows).",
            "--work LIST adds work per request to any matrix (none, cpu:D, wait:D, cpu:D1+wait:D2); the CPU",
            "work is calibrated once per run and every server gets the same --cpu-iterations.",
            "Connection counts above the open-files limit (ulimit -n) are cut, with a note.",
            "Variants: selector-1, selector-N (one loop per core), selector-offload-platform and",
            "selector-offload-virtual (one loop handing requests to 256 platform threads or to virtual threads),",
            "loom-virtual, loom-platform, netty-nio and",
            "netty-epoll (Netty 4.2 on its NIO and native epoll transports), native (C epoll",
            "ceiling, compiled from native/echo_server.c when a C compiler is present, else skipped with a note).",
            "selector-poll (selector-1 on the JDK's poll(2) Selector) is outside the quick and full defaults, since",
            "it only lengthens them without idle connections to scan: name it in --variants (active-among-idle",
            "runs it). --variant adds your own,",
            "--list-variants shows them all. Loom tuning rows, loom-virtual with one JDK setting each:",
            "loom-poller1 and loom-poller2 (jdk.pollerMode=1, =2; JDK 22+), loom-readpollers1 and",
            "loom-readpollersN (jdk.readPollers=1, =cores), loom-par1 and loom-parN",
            "(jdk.virtualThreadScheduler.parallelism=1, =cores), loom-direct-register",
            "(jdk.useDirectRegister=true; JDK 21 only).",
            "Before the run every Java variant's JVM options are checked against the servers' JDK: rules per",
            "feature release (also in --dry-run), then one short echo per variant with options of its own.",
            "An unsupported one is one line and exit 2.",
            "Ctrl-C or SIGTERM stops every child process and keeps the partial results;",
            "--resume continues the run. Started in the background by a non-interactive",
            "shell, the run does not see SIGINT (the shell ignores it for it): use SIGTERM.",
            "",
            "Exit codes:",
            "  0    every point was measured",
            "  1    nothing could run: no variant or no point left, the run folder",
            "       cannot be written, --pin without taskset, --syscalls perf or",
            "       strace where it cannot count",
            "  2    bad options, or a variant's JVM option the servers' JDK does not",
            "       support, --idle-with-active counts beyond the open-files limit or",
            "       the ephemeral port range, a --jdk path that holds no runnable JDK",
            "       21 or newer",
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
        CompareOptions.checkAmongIdleLimits(config, ProcStats.openFileLimit(), ProcStats.ephemeralPortCount());
        Path java = javaBinary();
        int release = featureRelease(java);
        String jdk = "JDK " + release + " (" + Objects.requireNonNullElse(JdkSupport.home(java), java) + ")";
        JdkCheck jdkCheck = JdkCheck.of(config, options.toLaunch(java, "", cores, null).serverJvmOptions(), jdk,
                release, options.variantsNamed());
        config = jdkCheck.config();
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
        Launch launch = options.toLaunch(java, System.getProperty("java.class.path"), cores,
                build == null ? null : build.binary());
        probeJdkSupport(config, launch, jdk);
        List<Variant> skipped = new ArrayList<>(jdkCheck.skipped());
        if (build != null && build.binary() == null) skipped.add(Variant.named(Variant.NATIVE, cores));
        RunFolder.create(config.runDir(), options.defaultOut());
        WorkCalibration calibration = calibration(config);
        Map<String, Object> environment = Environment.describe(config, launch, root, skipped,
                build == null ? null : build.compiler());
        environment.put(WorkCalibration.KEY, calibration.toJson());
        environment.put("not_applicable", Plan.notApplicable(config));
        SyscallCounter syscalls = SyscallCounter.choose(options.syscallMode(), SyscallCounter.MACHINE);
        System.err.println("compare: system calls: " + (syscalls.note() != null ? syscalls.note()
                : "counted with " + syscalls.tool() + " over each measured window"));
        environment.put(SyscallCounter.KEY, syscalls.toJson());
        Comparison.Outcome outcome = new Comparison(config, launch, environment, calibration, System.err, syscalls).run();
        if (!noReport) {
            Report.Result r = new Report(config.runDir()).write();
            System.out.println("report: " + r.markdown() + " (" + r.charts() + " charts)");
        }
        System.out.println("results: " + config.runDir().resolve(Summary.FILE) + outcome.summary());
        return outcome.failed() > 0 || outcome.measured() == 0 ? EXIT_POINTS_FAILED : 0;
    }

    private static int featureRelease(Path java) {
        try {
            return JdkSupport.featureRelease(java);
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage());
        }
    }

    /**
     * The live half of the JDK-support check: each Java variant with JVM options of its own serves one
     * short echo on this JDK before the run, so that an option the JDK accepts at start-up but fails on
     * at the first blocking read is one line and exit 2 instead of a run of failed points.
     */
    private static void probeJdkSupport(CompareConfig config, Launch launch, String jdk)
            throws IOException, InterruptedException {
        List<Variant> probed = config.variants().stream()
                .filter(v -> v.kind() == Variant.Kind.JAVA && !v.jvmOptions().isEmpty()).toList();
        if (probed.isEmpty()) return;
        System.err.println("compare: probing the JVM options of " + String.join(" ", probed.stream().map(Variant::name).toList())
                + " on " + jdk);
        Path logs = Files.createTempDirectory("bench-jdk-probe-");
        Children children = new Children();
        try {
            for (Variant v : probed) {
                Path log = logs.resolve(v.name() + ".log");
                Optional<String> failure = VariantProbe.failure(v, launch, children, log);
                if (failure.isPresent()) {
                    throw new UnsupportedOptionException("variant " + v.name() + " is not supported by " + jdk + ": its server"
                            + " with " + String.join(" ", v.jvmOptions()) + " failed a one-connection echo: " + failure.get());
                }
                Files.deleteIfExists(log);
            }
        } finally {
            children.destroyAll(ServerProcess.STOP_GRACE);
            deleteQuietly(logs);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A probe log left in the temporary folder harms nothing.
        }
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

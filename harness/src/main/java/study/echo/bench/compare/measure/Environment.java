package study.echo.bench.compare.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import study.echo.client.ArrivalPattern;
import study.echo.bench.compare.plan.CompareConfig;
import study.echo.bench.compare.plan.Jdk;
import study.echo.launch.Commands;
import study.echo.launch.Launch;
import study.echo.launch.Variant;
import java.util.concurrent.TimeUnit;
import study.echo.bench.compare.results.RunJson;

/** What {@code environment.json} records: everything a reader needs to reproduce or doubt a run. */
public final class Environment {
    public static final String FILE = "environment.json";
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(10);

    private Environment() {}

    public static Map<String, Object> describe(CompareConfig c, Launch launch, Path repoRoot, List<Variant> skipped,
                                        String compiler) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("profile", c.profileName());
        Map<String, Object> jdk = new LinkedHashMap<>();
        String javaHome = launch.java().getParent() == null ? "" : String.valueOf(launch.java().getParent().getParent());
        jdk.put("java", launch.java().toString());
        jdk.put("release", releaseFile(javaHome));
        jdk.put("harness_vm_vendor", System.getProperty("java.vm.vendor"));
        jdk.put("harness_vm_version", System.getProperty("java.vm.version"));
        env.put("jdk", jdk);
        env.put("server_jvm_options", launch.serverJvmOptions());
        env.put("client_jvm_options", launch.clientJvmOptions());
        env.put("cpu_model", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("kernel", readFirst("/proc/sys/kernel/osrelease"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("memory_total_kib", memTotal());
        env.put("git_commit", git(repoRoot, "rev-parse", "HEAD"));
        String dirty = git(repoRoot, "status", "--porcelain", "--untracked-files=no");
        env.put("git_dirty", dirty != null && !dirty.isBlank());
        Map<String, Object> pin = new LinkedHashMap<>();
        pin.put("enabled", c.pin());
        pin.put("server_cpus", launch.serverCpus());
        pin.put("client_cpus", launch.clientCpus());
        env.put("pinning", pin);
        env.put("open_files_limit", ProcStats.openFileLimit());
        env.put("ephemeral_port_range", readFirst("/proc/sys/net/ipv4/ip_local_port_range"));
        env.put("c_compiler", compiler);

        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("warmup_s", c.warmup().toMillis() / 1000.0);
        matrix.put("duration_s", c.duration().toMillis() / 1000.0);
        matrix.put("repetitions", c.reps());
        matrix.put("closed_loop_connections", c.closedConnections());
        matrix.put("sizes_bytes", c.sizesBytes());
        matrix.put("open_loop_connections", c.openConnections());
        matrix.put("open_loop_sizes_bytes", c.openSizesBytes());
        matrix.put("open_loop_rates_msgs_s", c.ratesMsgsPerSec());
        matrix.put("idle_connections", c.idleConnections());
        matrix.put("idle_with_active", c.idleWithActive());
        matrix.put("active_connections", c.activeConnections());
        matrix.put("active_rate_msgs_per_s", c.activeRateMsgsPerSec());
        matrix.put("slo_p99_us", c.sloP99Micros());
        matrix.put("connect_rate_per_s", c.connectRatePerSec());
        matrix.put("client_threads", c.clientThreads());
        matrix.put("work", c.works().stream().map(Object::toString).toList());
        matrix.put("open_loop_work", c.openWorks().stream().map(Object::toString).toList());
        matrix.put("open_loop_arrivals", c.arrivals().stream().map(ArrivalPattern::label).toList());
        env.put("matrix", matrix);

        List<Object> jdks = new ArrayList<>();
        for (Jdk j : c.allJdks()) jdks.add(j.toJson());
        env.put("jdks", jdks);
        List<Object> variants = new ArrayList<>();
        for (Variant v : c.variants()) variants.add(variant(v, launch));
        env.put("variants", variants);
        List<Object> skippedNames = new ArrayList<>();
        skipped.forEach(v -> skippedNames.add(v.name()));
        env.put("skipped_variants", skippedNames);
        env.put("notes", c.notes());
        return env;
    }

    /**
     * One variant as environment.json records it: enough to rerun its server by hand. {@code argv} is
     * the command word by word, since an option may hold a space that the joined {@code command} hides.
     */
    public static Map<String, Object> variant(Variant v, Launch launch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("description", v.description());
        m.put("server", v.serverCommand());
        List<String> jvm = new ArrayList<>();
        if (v.kind() == Variant.Kind.JAVA) jvm.addAll(launch.serverJvmOptions());
        jvm.addAll(v.jvmOptions());
        m.put("jvm_options", jvm);
        m.put("variant_jvm_options", v.jvmOptions());
        m.put("server_options", v.args());
        if (v.kind() == Variant.Kind.JAVA) m.put("java", (v.serverJava() == null ? launch.java() : v.serverJava()).toString());
        List<String> argv = v.command(launch);
        m.put("command", String.join(" ", argv));
        m.put("argv", argv);
        return m;
    }

    public static void write(Path runDir, Map<String, Object> env) throws IOException {
        RunJson.write(runDir.resolve(FILE), env);
    }

    private static String releaseFile(String javaHome) {
        try {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String l : Files.readAllLines(Path.of(javaHome, "release"))) {
                int eq = l.indexOf('=');
                if (eq > 0) kv.put(l.substring(0, eq), l.substring(eq + 1).replace("\"", ""));
            }
            return kv.getOrDefault("IMPLEMENTOR", "?") + " " + kv.getOrDefault("JAVA_RUNTIME_VERSION",
                    kv.getOrDefault("JAVA_VERSION", "?"));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static Object memTotal() {
        try {
            return ProcStats.statusField(Files.readAllLines(Path.of("/proc/meminfo")), "MemTotal");
        } catch (IOException e) {
            return null;
        }
    }

    private static String readFirst(String file) {
        try {
            // readAllLines: readString returns only the first byte of some /proc files (see ProcStats).
            return String.join(" ", Files.readAllLines(Path.of(file))).strip().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String git(Path root, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Commands.outputOf(root, GIT_TIMEOUT, cmd);
    }
}

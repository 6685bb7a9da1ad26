package study.echo.bench.compare.plan;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import study.echo.client.ArrivalPattern;
import study.echo.common.BadOptionException;
import study.echo.common.UserException;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Launch;
import study.echo.launch.Variant;

/**
 * The options of {@code bench compare} that shape a run, shared as a picocli {@code @Mixin} as
 * {@code ServerOptions} is. {@link #toConfig} only computes: it starts no process and touches no
 * file, so that {@code --dry-run} can use it.
 */
public final class CompareOptions {
    /** Connections a process keeps for itself (JVM, listening socket, logs) beyond the measured ones. */
    public static final int FD_HEADROOM = 256;
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Option(names = "--profile", defaultValue = "quick", paramLabel = "quick|full|workloads|active-among-idle|loom-tuning",
            description = "Matrix, durations and repetitions, see below (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: results/<UTC timestamp>/, and results/latest points to it)."
                    + " An existing run folder is refused unless --resume is given.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out DIR: skip the points it already holds.")
    boolean resume;

    @Option(names = "--variants", split = ",", paramLabel = "NAME,...",
            description = "Variants to run (default: the profile's; for quick and full all but selector-poll and the loom tuning rows): selector-1,"
                    + " selector-N, loom-virtual, loom-platform, netty-nio, netty-epoll, native, selector-offload-platform,"
                    + " selector-offload-virtual (these two only where the work waits), selector-poll, the loom tuning rows"
                    + " (loom-poller1, loom-poller2, loom-readpollers1, loom-readpollersN, loom-par1, loom-parN,"
                    + " loom-direct-register), and those of --variant. Each must be supported by the servers' JDK."
                    + " --list-variants shows them.")
    List<String> variants;

    @Option(names = "--variant", paramLabel = VariantSpec.SYNTAX,
            description = "A variant of your own, repeatable: built-in BASE under a new NAME with more JVM options"
                    + " (after ':', split on spaces, after the common --server-jvm-options) and more server options"
                    + " (after ';'). It runs in addition to --variants. Quote it in the shell, e.g."
                    + " --variant 'vt-par1=loom-virtual:-Djdk.virtualThreadScheduler.parallelism=1' or"
                    + " --variant 'sel-64k=selector-1;--buffer-size=65536'.")
    List<String> userVariants = new ArrayList<>();

    @Option(names = "--jdk", split = ",", paramLabel = Jdk.SYNTAX,
            description = "JDKs to run every Java variant on, each a JDK home (or its bin/java) of release "
                    + Jdk.MIN_FEATURE + " or newer, e.g. /usr/lib/jvm/jdk-21,/usr/lib/jvm/jdk-25. Each Java variant runs"
                    + " on each, in turn within every point; native runs once. With more than one, a variant's name"
                    + " gets the JDK's label: loom-virtual@jdk21, and @jdk25-2 for a second JDK of a release, or"
                    + " the LABEL given as LABEL=PATH. The load client and the harness stay on the launcher's JDK."
                    + " Default: the launcher's JDK.")
    List<String> jdkSpecs;

    @Option(names = "--connections", split = ",", paramLabel = "N,...",
            description = "Closed-loop connection counts, 1-1000000, instead of the profile's. Open-loop sweeps run at"
                    + " the profile's count if listed, else at the middle of this list.")
    List<Integer> connections;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES,...",
            description = "Message sizes in bytes, 1-16777216, instead of the profile's (64 and 4096)."
                    + " Open-loop sweeps use 64 if listed, else the middle size of this list.")
    List<Integer> sizes;

    @Option(names = "--rates", split = ",", paramLabel = "MSGS_PER_SEC,...",
            description = "Offered loads of the open-loop sweeps, in messages per second over all connections,"
                    + " instead of the profile's; the same for every variant. 'none' skips the sweeps.")
    List<String> rates;

    @Option(names = "--work", split = ",", paramLabel = "SPEC,...",
            description = "Work per request, a dimension of the matrix: none, cpu:D, wait:D or cpu:D1+wait:D2"
                    + " (e.g. none,cpu:10us,wait:1ms,cpu:10us+wait:1ms), instead of the profile's. Servers then get"
                    + " --request-size (the message size), --work and --cpu-iterations (calibrated once per run)."
                    + " Open-loop sweeps use the profile's work if listed, else the middle of this list.")
    List<String> work;

    @Option(names = "--arrivals", split = ",", paramLabel = "PATTERN,...",
            description = "Shapes of the open-loop sweeps' sends, a dimension of those sweeps: even (evenly spaced),"
                    + " poisson (exponential gaps, the same mean rate, drawn from a seed that every variant of a point"
                    + " shares) or bursts:N (N back to back per connection at each tick), instead of the profile's"
                    + " (quick and full: even,poisson; workloads: even).")
    List<String> arrivals;

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

    /** The active-among-idle points, together: --active-connections means nothing without counts to hold. */
    @ArgGroup(exclusive = false)
    AmongIdleOptions amongIdle;

    static final class AmongIdleOptions {
        @Option(names = "--idle-with-active", split = ",", paramLabel = "N,...", required = true,
                description = "Idle connection counts (0-1000000) of active-among-idle points, 'none' for none:"
                        + " --active-connections run the closed loop while the server holds that many idle ones, opened"
                        + " first, each echoing one byte (key suffix _idleN). Every variant runs them, echo only, at 64 B"
                        + " if in --sizes (default: the profile's; active-among-idle: 0,1000,10000,18000).")
        List<String> counts;

        @Option(names = "--active-connections", paramLabel = "N",
                description = "Active connections of the --idle-with-active points, 1-1000000 (default: 100).")
        Integer active;

        @Option(names = "--active-rate", paramLabel = "MSGS_PER_SEC",
                description = "Also an open-loop point at each idle count: this offered load over the active"
                        + " connections, 1 in flight each, even arrivals (default: none, closed loop only).")
        Integer rate;

        static List<Integer> counts(AmongIdleOptions o, Profile prof) {
            if (o == null) return prof.idleWithActive();
            return o.counts.equals(List.of("none")) ? List.of() : distinct(integers(o.counts, "--idle-with-active"));
        }

        static int active(AmongIdleOptions o, Profile prof) {
            return o == null || o.active == null ? prof.activeConnections() : o.active;
        }

        static int rate(AmongIdleOptions o) {
            return o == null || o.rate == null ? 0 : o.rate;
        }
    }

    @Option(names = "--slo-p99", defaultValue = "5ms", paramLabel = "DURATION",
            description = "Open-loop p99 latency a rate must stay under to count as sustainable (default: ${DEFAULT-VALUE}).")
    Duration sloP99;

    @Option(names = "--connect-rate", defaultValue = "2500", paramLabel = "PER_SEC",
            description = "Connections the client opens per second; the ramp is not measured (default: ${DEFAULT-VALUE}).")
    int connectRatePerSec;

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

    /** What --syscalls accepts. */
    public static final List<String> SYSCALL_MODES = List.of("auto", "perf", "strace", "off");

    @Option(names = "--syscalls", defaultValue = "off", paramLabel = "auto|perf|strace|off",
            description = "Count the server's system calls and context switches per message over each measured window:"
                    + " perf (its syscall tracepoints; here it cost loom-virtual 10-18%% of its throughput at 100"
                    + " connections, so count in a run of its own), strace (strace -c -f; slows every system call, so"
                    + " those points' throughput and latency are distorted), off, or auto: perf when it can count here,"
                    + " checked once at start-up, else nothing (default: ${DEFAULT-VALUE}).")
    String syscalls;

    /** Test hook: {@code NAME=COMMAND ...}, an extra variant started by that command (split on spaces). */
    @Option(names = "--variant-command", hidden = true)
    List<String> extraVariants = new ArrayList<>();

    /** Test and tooling hook: a command that replaces {@code java ... ClientCommand}. */
    @Option(names = "--client-command", hidden = true)
    String clientCommand;

    /** The --syscalls mode, checked: auto, perf, strace or off. */
    public String syscallMode() {
        String m = syscalls == null ? "off" : syscalls.trim().toLowerCase(java.util.Locale.ROOT);
        if (!SYSCALL_MODES.contains(m)) {
            throw new BadOptionException("--syscalls wants one of " + String.join(", ", SYSCALL_MODES) + ", got '" + syscalls + "'");
        }
        return m;
    }

    /** Whether --variants chose the variants, rather than the profile: a row it names must run as named. */
    public boolean variantsNamed() {
        return variants != null;
    }

    /** The run folder is the default one, under results/, so results/latest should point to it. */
    public boolean defaultOut() {
        return out == null;
    }

    /** How long a JDK's {@code java -version} may take (only where its release file lacks the version). */
    private static final Duration JDK_PROBE_TIMEOUT = Duration.ofSeconds(20);
    private List<Jdk> jdks;

    /**
     * The JDKs of --jdk, checked once: their release files are read (java -version runs only for a home
     * without one); empty without --jdk. BadOptionException naming a path that holds no JDK 21 or newer.
     */
    public List<Jdk> jdks() {
        if (jdks == null) jdks = jdkSpecs == null ? List.of() : Jdk.of(jdkSpecs, JDK_PROBE_TIMEOUT);
        return jdks;
    }

    /**
     * The run these options ask for on a machine with {@code cores} CPUs and an open-files limit of
     * {@code fdLimit} (-1 when unknown); the default run folder is a new one under {@code resultsDir}.
     * It starts nothing but reads the --jdk homes' release files (see {@link #jdks()}).
     */
    public CompareConfig toConfig(int cores, long fdLimit, Path resultsDir) {
        if (resume && out == null) throw new BadOptionException("--resume needs --out DIR, the run folder to continue");
        syscallMode();
        Profile prof = Profile.named(profile);
        if (pin && cores < 2) throw new UserException("--pin needs at least 2 CPUs; this machine has " + cores);
        List<String> notes = new ArrayList<>();
        List<Integer> closedConns = connections == null ? prof.closedConnections() : distinct(connections);
        List<Integer> sizeList = sizes == null ? prof.sizesBytes() : distinct(sizes);
        List<Integer> rateList = rates == null ? prof.ratesMsgsPerSec()
                : rates.equals(List.of("none")) ? List.of() : distinct(integers(rates, "--rates"));
        List<Integer> openConns = pick(prof.openConnections(), closedConns);
        int idle = idleConnections == null ? prof.idleConnections() : idleConnections;
        List<WorkSpec> works = work == null ? prof.works()
                : List.copyOf(new LinkedHashSet<>(work.stream().map(WorkSpec::parse).toList()));
        List<WorkSpec> openWorks = pickIn(prof.openWorks(), works);
        List<ArrivalPattern> arrivalList = arrivals == null ? prof.arrivals()
                : List.copyOf(new LinkedHashSet<>(arrivals.stream().map(ArrivalPattern::parse).toList()));
        int clientCores = pin ? cores - serverCores(cores) : cores;
        int threads = clientThreads == null ? Math.max(1, clientCores / 2) : clientThreads;
        if (fdLimit > 0) {
            long max = fdLimit - FD_HEADROOM;
            closedConns = cut(closedConns, max, fdLimit, "closed-loop", notes);
            openConns = cut(openConns, max, fdLimit, "open-loop", notes);
            if (idle > max) {
                notes.add("idle connections cut from " + idle + " to " + max + ": the open-files limit (ulimit -n) is "
                        + fdLimit + "; raise it to measure more");
                idle = (int) Math.max(0, max);
            }
        }
        Path runDir = out != null ? out.toAbsolutePath().normalize()
                : resultsDir.resolve(ZonedDateTime.now(ZoneOffset.UTC).format(RUN_NAME));
        return new CompareConfig(prof.name(), warmup == null ? prof.warmup() : warmup,
                duration == null ? prof.duration() : duration, reps == null ? prof.reps() : reps,
                chosenVariants(cores, prof), closedConns, sizeList, openConns, pick(prof.openSizesBytes(), sizeList), rateList,
                idle, sloP99.toNanos() / 1000, connectRatePerSec, threads, runDir, resume, pin, notes, works, openWorks,
                arrivalList, AmongIdleOptions.counts(amongIdle, prof), AmongIdleOptions.active(amongIdle, prof),
                AmongIdleOptions.rate(amongIdle), jdks());
    }

    /**
     * Refuses, before anything runs, active-among-idle points the machine cannot hold: the server and the
     * client each hold every active and idle connection (plus {@link #FD_HEADROOM}), and the client needs a
     * local port for each on its source addresses. Cutting them, as other counts are cut, would change the
     * curve the run exists to draw, so this is a bad option, one line and exit 2.
     *
     * @param fdLimit the open-files limit, -1 when unknown
     * @param ephemeralPorts the kernel's ephemeral ports per source address, 0 when unknown
     */
    public static void checkAmongIdleLimits(CompareConfig c, long fdLimit, int ephemeralPorts) {
        if (c.idleWithActive().isEmpty()) return;
        int idle = c.idleWithActive().stream().mapToInt(Integer::intValue).max().orElseThrow();
        long total = (long) idle + c.activeConnections();
        if (fdLimit > 0 && total + FD_HEADROOM > fdLimit) {
            throw new BadOptionException("--idle-with-active " + idle + " with --active-connections " + c.activeConnections()
                    + " needs " + (total + FD_HEADROOM) + " open files per process (with a margin of " + FD_HEADROOM
                    + "), but the open-files limit (ulimit -n) is " + fdLimit + "; raise it or ask for fewer");
        }
        long addresses = total > CompareConfig.SOURCE_ADDRESS_THRESHOLD ? CompareConfig.SOURCE_ADDRESS_COUNT : 1;
        if (ephemeralPorts > 0 && total > addresses * ephemeralPorts) {
            throw new BadOptionException("--idle-with-active " + idle + " with --active-connections " + c.activeConnections()
                    + " needs " + total + " local ports, but the ephemeral port range offers " + ephemeralPorts
                    + " on each of " + addresses + " source address(es); widen net.ipv4.ip_local_port_range or ask for fewer");
        }
    }

    /** How the servers and the client are started; {@code nativeBinary} is null when the native variant is skipped. */
    public Launch toLaunch(Path java, String classpath, int cores, Path nativeBinary) {
        String serverCpus = null;
        String clientCpus = null;
        if (pin) {
            int serverCores = serverCores(cores);
            serverCpus = cpuList(0, serverCores - 1);
            clientCpus = cpuList(serverCores, cores - 1);
        }
        return new Launch(java, classpath, jvmOptions(serverJvmOptions, Launch.DEFAULT_SERVER_JVM_OPTIONS),
                jvmOptions(clientJvmOptions, Launch.DEFAULT_CLIENT_JVM_OPTIONS), serverCpus, clientCpus, nativeBinary,
                clientCommand == null ? List.of() : List.of(clientCommand.trim().split("\\s+")));
    }

    /** The cores the servers may use: all, or the first half when pinning. */
    private int serverCores(int cores) {
        return pin ? cores / 2 : cores;
    }

    private static String cpuList(int first, int last) {
        return first == last ? String.valueOf(first) : first + "-" + last;
    }

    /**
     * Every variant these options know on a machine with {@code cores} CPUs: the built-in table, then
     * the user's {@code --variant}s; BadOptionException for a bad or duplicate one.
     */
    public List<Variant> variantTable(int cores) {
        Map<String, Variant> builtIns = new LinkedHashMap<>();
        for (Variant v : Variant.standard(serverCores(cores))) builtIns.put(v.name(), v);
        Map<String, Variant> all = new LinkedHashMap<>(builtIns);
        for (String text : userVariants) {
            VariantSpec spec = VariantSpec.parse(text);
            if (all.containsKey(spec.name())) {
                throw new BadOptionException("--variant " + spec.name() + ": a variant of that name exists already");
            }
            all.put(spec.name(), spec.resolve(builtIns));
        }
        return List.copyOf(all.values());
    }

    private List<Variant> chosenVariants(int cores, Profile prof) {
        Map<String, Variant> known = new LinkedHashMap<>();
        List<Variant> table = variantTable(cores);
        for (Variant v : table) known.put(v.name(), v);
        List<String> defaultNames = !prof.variantNames().isEmpty() ? prof.variantNames()
                : table.stream().filter(Variant::inDefaultRun).map(Variant::name).toList();
        for (String spec : extraVariants) {
            int eq = spec.indexOf('=');
            if (eq <= 0) throw new BadOptionException("--variant-command wants NAME=COMMAND, got '" + spec + "'");
            String name = spec.substring(0, eq);
            known.put(name, Variant.custom(name, List.of(spec.substring(eq + 1).trim().split("\\s+"))));
        }
        List<Variant> chosen = new ArrayList<>();
        for (String n : variants == null ? defaultNames : variants) {
            Variant v = known.get(n.trim());
            if (v == null) throw new BadOptionException("unknown variant '" + n + "'; choose from " + String.join(", ", known.keySet()));
            if (!chosen.contains(v)) chosen.add(v);
        }
        // A user's variant is asked for by being defined: it runs with the chosen ones.
        int builtIns = Variant.standard(serverCores(cores)).size();
        for (Variant v : table.subList(builtIns, table.size())) {
            if (!chosen.contains(v)) chosen.add(v);
        }
        return onEachJdk(chosen);
    }

    /** {@link #variantTable} as the run would name it: each Java variant once per --jdk. */
    public List<Variant> variantTableOnEachJdk(int cores) {
        return onEachJdk(variantTable(cores));
    }

    /**
     * Each Java variant once per JDK of --jdk, next to each other so that the plan's turns run a variant on
     * every JDK before the next variant; any other variant once. Without --jdk the list as it is.
     */
    private List<Variant> onEachJdk(List<Variant> variants) {
        List<Jdk> all = jdks();
        if (all.isEmpty()) return variants;
        List<Variant> out = new ArrayList<>();
        for (Variant v : variants) {
            if (v.kind() != Variant.Kind.JAVA) {
                out.add(v);
                continue;
            }
            for (Jdk j : all) out.add(v.onJava(all.size() > 1 ? j.label() : null, j.java()));
        }
        return out;
    }

    private static List<Integer> distinct(List<Integer> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }

    private static List<Integer> integers(List<String> values, String option) {
        List<Integer> parsed = new ArrayList<>();
        for (String v : values) {
            try {
                parsed.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new BadOptionException(option + " wants whole numbers or 'none', got '" + v + "'");
            }
        }
        return parsed;
    }

    /** The profile's values still in {@code list}, or the middle of the list when none is. */
    private static List<Integer> pick(List<Integer> preferred, List<Integer> list) {
        return pickIn(preferred, list.stream().sorted().toList());
    }

    /** As {@link #pick}, the middle taken in the list's own order (work specs have no natural order). */
    private static <T> List<T> pickIn(List<T> preferred, List<T> ordered) {
        List<T> kept = preferred.stream().filter(ordered::contains).toList();
        if (!kept.isEmpty() || ordered.isEmpty()) return kept;
        return List.of(ordered.get((ordered.size() - 1) / 2));
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
}

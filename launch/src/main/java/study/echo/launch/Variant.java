package study.echo.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server variant: how to start it. This is the one table of variants: the comparison runs it, the
 * contract tests run their contract over its Java rows, and the JMH benchmarks start servers from it.
 * Adding a variant is one row. Every Java variant runs with the run's common JVM options
 * ({@link Launch#serverJvmOptions()}) followed by its own, and differs only in its main class, its
 * arguments and those JVM options of its own.
 *
 * @param mainClass for {@link Kind#JAVA} the server command's main class (the one {@code ./bench server NAME}
 *     runs); null otherwise
 * @param args for {@link Kind#JAVA} the arguments of that main class; for {@link Kind#NATIVE} the arguments
 *     of the compiled binary; for {@link Kind#CUSTOM} the whole command
 * @param jvmOptions for {@link Kind#JAVA} JVM options of this variant only, after the run's common ones
 *     (so that they win where both set the same option); empty otherwise
 * @param inDefaultRun whether {@code bench compare} runs it when {@code --variants} is not given; a
 *     variant outside the defaults is still in the table, the contract tests and {@code --variants}
 * @param serverJava for {@link Kind#JAVA} the java that runs this server ({@code bench compare --jdk}); null for the
 *     launch's own java, as every variant of the table has
 */
public record Variant(String name, Kind kind, String description, String mainClass, List<String> args,
                      List<String> jvmOptions, boolean inDefaultRun, Path serverJava) {

    public enum Kind { JAVA, NATIVE, CUSTOM }

    public static final String NATIVE = "native";
    public static final String SELECTOR_POLL = "selector-poll";
    public static final String OFFLOAD_PLATFORM = "selector-offload-platform";
    public static final String OFFLOAD_VIRTUAL = "selector-offload-virtual";
    /**
     * Worker threads of selector-offload-platform: Netty's {@code EventExecutorGroup} sizing for blocking
     * handlers is "as many as may block at once"; 256 lets a 1,000-connection point hold a quarter of its
     * requests in their waits, so the pool shows as a limit where Little's bound is above 256 / wait.
     */
    public static final int OFFLOAD_PLATFORM_THREADS = 256;
    private static final String OFFLOAD = "--offload";
    /** The JDK's poll(2) Selector: every select() scans all registered descriptors, where epoll reports only the ready. */
    private static final String POLL_PROVIDER = "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider";
    private static final String SELECTOR = "study.echo.selector.SelectorServerCommand";
    private static final String LOOM = "study.echo.loom.LoomServerCommand";
    private static final String NETTY = "study.echo.netty.NettyServerCommand";

    public Variant {
        if ((kind == Kind.JAVA) != (mainClass != null)) {
            throw new IllegalArgumentException("a main class is for Java variants only: " + name);
        }
        args = List.copyOf(args);
        jvmOptions = List.copyOf(jvmOptions);
        if (kind != Kind.JAVA && !jvmOptions.isEmpty()) {
            throw new IllegalArgumentException("JVM options are for Java variants only: " + name);
        }
        if (kind != Kind.JAVA && serverJava != null) {
            throw new IllegalArgumentException("a java is for Java variants only: " + name);
        }
    }

    /** A variant run by the launch's own java. */
    public Variant(String name, Kind kind, String description, String mainClass, List<String> args,
                   List<String> jvmOptions, boolean inDefaultRun) {
        this(name, kind, description, mainClass, args, jvmOptions, inDefaultRun, null);
    }

    /**
     * This Java variant with its server run by {@code otherJava} instead of the launch's, named
     * {@code NAME@jdkLabel} ({@code loom-virtual@jdk25}), or under its own name when {@code jdkLabel} is null
     * (one JDK only). No variant's own name holds the separator, so {@link #baseName} undoes it.
     */
    public Variant onJava(String jdkLabel, Path otherJava) {
        if (kind != Kind.JAVA) throw new IllegalArgumentException("only a Java variant runs on another JDK: " + name);
        String newName = jdkLabel == null ? name : name + JDK_LABEL_SEPARATOR + jdkLabel;
        return new Variant(newName, kind, description, mainClass, args, jvmOptions, inDefaultRun, otherJava);
    }

    /** Between a variant's name and the label of the JDK it runs on, where a run has several (--jdk). */
    public static final char JDK_LABEL_SEPARATOR = '@';

    /** A variant's name without the JDK label {@link #onJava} gives it: {@code loom-virtual@jdk25} is {@code loom-virtual}. */
    public static String baseName(String variantName) {
        int at = variantName.indexOf(JDK_LABEL_SEPARATOR);
        return at < 0 ? variantName : variantName.substring(0, at);
    }

    /** A variant started by a command of its own (a test and tooling hook). */
    public static Variant custom(String name, List<String> command) {
        return new Variant(name, Kind.CUSTOM, "custom command", null, command, List.of(), true);
    }

    /**
     * This variant under another name with {@code moreJvmOptions} after its own JVM options and
     * {@code moreArgs} after its own arguments (a later server option wins, as picocli reads them).
     */
    public Variant derived(String newName, List<String> moreJvmOptions, List<String> moreArgs) {
        List<String> jvm = new ArrayList<>(jvmOptions);
        jvm.addAll(moreJvmOptions);
        List<String> all = new ArrayList<>(args);
        all.addAll(moreArgs);
        List<String> added = concat(moreJvmOptions, moreArgs);
        String why = added.isEmpty() ? description : description + ", with " + String.join(" ", added);
        return new Variant(newName, kind, why, mainClass, all, jvm, true, serverJava);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The variants of the study, in the order they run within a point.
     *
     * @param loopsPerCore the event loops of selector-N: one per core the servers may use
     */
    public static List<Variant> standard(int loopsPerCore) {
        return List.of(
                java("selector-1", "Selector, 1 event loop", SELECTOR, "--port", "0", "--loops", "1"),
                java("selector-N", "Selector, one loop per core (" + loopsPerCore + " loops)",
                        SELECTOR, "--port", "0", "--loops", String.valueOf(loopsPerCore)),
                java("loom-virtual", "Blocking, one virtual thread per connection", LOOM, "--port", "0", "--threads", "virtual"),
                java("loom-platform", "Blocking, one platform thread per connection", LOOM, "--port", "0", "--threads", "platform"),
                // One I/O loop, as selector-1: the hand-written loop against the framework, like for like.
                java("netty-nio", "Netty 4.2, NIO transport, 1 event loop", NETTY,
                        "--port", "0", "--transport", "nio", "--loops", "1"),
                java("netty-epoll", "Netty 4.2, native edge-triggered epoll transport, 1 event loop", NETTY,
                        "--port", "0", "--transport", "epoll", "--loops", "1"),
                // Only at points whose work waits (see offloads()): without a wait there is nothing to hand off.
                java(OFFLOAD_PLATFORM, "Selector, 1 event loop, requests handled on a pool of "
                                + OFFLOAD_PLATFORM_THREADS + " platform threads", SELECTOR,
                        "--port", "0", "--loops", "1", OFFLOAD, "platform:" + OFFLOAD_PLATFORM_THREADS),
                java(OFFLOAD_VIRTUAL, "Selector, 1 event loop, each request handled on a virtual thread", SELECTOR,
                        "--port", "0", "--loops", "1", OFFLOAD, "virtual"),
                new Variant(NATIVE, Kind.NATIVE, "C epoll echo server (ceiling)", null,
                        List.of("--host", "127.0.0.1", "--port", "0"), List.of(), true),
                // Outside the default run: it answers the poll-against-epoll question, which needs many
                // idle connections to show, and would only lengthen the profiles' matrix of active ones.
                new Variant(SELECTOR_POLL, Kind.JAVA, "Selector, 1 event loop, poll(2) instead of epoll", SELECTOR,
                        List.of("--port", "0", "--loops", "1"), List.of(POLL_PROVIDER), false),
                // The Loom tuning study (issue 12), outside the default run: loom-virtual with one JDK setting
                // changed each. JdkSupport checks each against the JDK that runs it, from the JDK sources.
                loomTuned("loom-poller1", "jdk.pollerMode=1",
                        "pollers are platform threads blocked in epoll_wait (JDK 22+; JDK 21's only mode)"),
                loomTuned("loom-poller2", "jdk.pollerMode=2",
                        "pollers are virtual sub-pollers parked on one master poller (JDK 22+, the Linux default)"),
                loomTuned("loom-readpollers1", "jdk.readPollers=1", "one read poller for every socket"),
                loomTuned("loom-readpollersN", "jdk.readPollers=" + loopsPerCore,
                        loopsPerCore + " read pollers, one per core (a power of 2; JDK 22+ default min(2^k <= cores, 32))"),
                loomTuned("loom-par1", "jdk.virtualThreadScheduler.parallelism=1",
                        "1 carrier thread runs every virtual thread"),
                loomTuned("loom-parN", "jdk.virtualThreadScheduler.parallelism=" + loopsPerCore,
                        loopsPerCore + " carrier threads, one per core (the default)"),
                loomTuned("loom-direct-register", "jdk.useDirectRegister=true",
                        "a parking thread registers its socket with epoll itself, no hand-off to an updater thread (JDK 21 only)"));
    }

    /** loom-virtual with one system property of the JDK's virtual-thread I/O or scheduler set. */
    private static Variant loomTuned(String name, String property, String what) {
        return new Variant(name, Kind.JAVA, "loom-virtual with " + property + ": " + what, LOOM,
                List.of("--port", "0", "--threads", "virtual"), List.of("-D" + property), false);
    }

    /** The standard variant called {@code name}; IllegalArgumentException naming the choices when there is none. */
    public static Variant named(String name, int loopsPerCore) {
        List<Variant> all = standard(loopsPerCore);
        return all.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server variant '" + name + "'; expected one of "
                        + String.join(", ", all.stream().map(Variant::name).toList())));
    }

    private static Variant java(String name, String description, String mainClass, String... args) {
        return new Variant(name, Kind.JAVA, description, mainClass, List.of(args), List.of(), true);
    }

    /**
     * Whether this variant implements a blocking wait per request ({@code --work wait:D}). The C server
     * implements only the CPU work: a point with a wait is "not applicable" to it, not a failure.
     */
    public boolean handlesWaits() {
        return kind != Kind.NATIVE;
    }

    /**
     * Whether this variant hands each request to threads off its event loop ({@code --offload} other
     * than {@code none}), read from its own server options so that a derived variant keeps it.
     */
    public boolean offloads() {
        int i = args.lastIndexOf(OFFLOAD);
        String mode = i >= 0 && i + 1 < args.size() ? args.get(i + 1)
                : args.stream().filter(a -> a.startsWith(OFFLOAD + "=")).reduce((a, b) -> b)
                        .map(a -> a.substring(OFFLOAD.length() + 1)).orElse("none");
        return !mode.equals("none");
    }

    /**
     * Whether requests run on an event loop, so that a wait in them blocks every connection of that
     * loop: the selector and Netty servers without an offload pool.
     */
    public boolean waitsOnItsLoop() {
        String server = serverCommand();
        return (server.equals("selector") || server.equals("netty")) && !offloads();
    }

    /** The {@code ./bench server} command this variant runs (selector, loom, netty), or native, or custom. */
    public String serverCommand() {
        return switch (kind) {
            case NATIVE -> NATIVE;
            case CUSTOM -> "custom";
            case JAVA -> mainClass.substring(mainClass.lastIndexOf('.') + 1).replace("ServerCommand", "").toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * Its own JVM options and its server options as one line, {@code JVM_OPTIONS;SERVER_OPTIONS}: the
     * part of a {@code --variant} after its base, the run's common JVM options left out.
     */
    public String optionsText() {
        return String.join(" ", jvmOptions) + ";" + String.join(" ", args);
    }

    /** The command that starts this variant's server, pinned with taskset when the run pins. */
    public List<String> command(Launch launch) {
        return command(launch, List.of());
    }

    /** As {@link #command(Launch)}, with {@code extraArgs} after the variant's own (options it does not set). */
    public List<String> command(Launch launch, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(launch.serverPinning());
        switch (kind) {
            case JAVA -> cmd.addAll(launch.javaCommand(serverJava == null ? launch.java() : serverJava,
                    concat(launch.serverJvmOptions(), jvmOptions), mainClass));
            case NATIVE -> {
                if (launch.nativeBinary() == null) {
                    throw new IllegalStateException("native variant without a compiled binary");
                }
                cmd.add(launch.nativeBinary().toString());
            }
            case CUSTOM -> { }
        }
        cmd.addAll(args);
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** The jcmd of the JDK that runs this server, so that it attaches to a JVM of its own release. */
    public Path jcmd(Launch launch) {
        return serverJava == null ? launch.jcmd() : serverJava.resolveSibling("jcmd");
    }
}

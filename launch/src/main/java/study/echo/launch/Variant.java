package study.echo.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * A server variant: how to start it. This is the one table of variants: the comparison runs it, the
 * contract tests run their contract over its Java rows, and the JMH benchmarks start servers from it.
 * Adding a variant is one row. Every Java variant runs with the same JVM options
 * ({@link Launch#serverJvmOptions()}) and differs only in its main class and arguments.
 *
 * @param mainClass for {@link Kind#JAVA} the server command's main class (the one {@code ./bench server NAME}
 *     runs); null otherwise
 * @param args for {@link Kind#JAVA} the arguments of that main class; for {@link Kind#NATIVE} the arguments
 *     of the compiled binary; for {@link Kind#CUSTOM} the whole command
 */
public record Variant(String name, Kind kind, String description, String mainClass, List<String> args) {

    public enum Kind { JAVA, NATIVE, CUSTOM }

    public static final String NATIVE = "native";
    private static final String SELECTOR = "study.echo.selector.SelectorServerCommand";
    private static final String LOOM = "study.echo.loom.LoomServerCommand";
    private static final String NETTY = "study.echo.netty.NettyServerCommand";

    public Variant {
        if ((kind == Kind.JAVA) != (mainClass != null)) {
            throw new IllegalArgumentException("a main class is for Java variants only: " + name);
        }
        args = List.copyOf(args);
    }

    /** A variant started by a command of its own (a test and tooling hook). */
    public static Variant custom(String name, List<String> command) {
        return new Variant(name, Kind.CUSTOM, "custom command", null, command);
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
                new Variant(NATIVE, Kind.NATIVE, "C epoll echo server (ceiling)", null,
                        List.of("--host", "127.0.0.1", "--port", "0")));
    }

    /** The standard variant called {@code name}; IllegalArgumentException naming the choices when there is none. */
    public static Variant named(String name, int loopsPerCore) {
        List<Variant> all = standard(loopsPerCore);
        return all.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server variant '" + name + "'; expected one of "
                        + String.join(", ", all.stream().map(Variant::name).toList())));
    }

    private static Variant java(String name, String description, String mainClass, String... args) {
        return new Variant(name, Kind.JAVA, description, mainClass, List.of(args));
    }

    /** The command that starts this variant's server, pinned with taskset when the run pins. */
    public List<String> command(Launch launch) {
        return command(launch, List.of());
    }

    /** As {@link #command(Launch)}, with {@code extraArgs} after the variant's own (options it does not set). */
    public List<String> command(Launch launch, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(launch.serverPinning());
        switch (kind) {
            case JAVA -> cmd.addAll(launch.javaCommand(launch.serverJvmOptions(), mainClass));
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
}

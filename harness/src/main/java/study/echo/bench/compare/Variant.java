package study.echo.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * A server variant: how to start it. Every Java variant runs the same jar with the same JVM options
 * ({@link Launch#serverJvmOptions()}) and differs only in the server arguments.
 *
 * @param args for {@link Kind#JAVA} the arguments of {@code study.echo.bench.Bench}; for
 *     {@link Kind#NATIVE} the arguments of the compiled binary; for {@link Kind#CUSTOM} the whole command
 */
public record Variant(String name, Kind kind, String description, List<String> args) {

    public enum Kind { JAVA, NATIVE, CUSTOM }

    public static final String NATIVE = "native";

    /** Accepted from JDK 17 on, so harmless on every JDK the launcher takes. */
    static final String ENABLE_NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** The seven variants of the study, in the order they run within a point. */
    public static List<Variant> standard(int loopsPerCore) {
        return List.of(
                java("selector-1", "Selector, 1 event loop", "server", "selector", "--port", "0", "--loops", "1"),
                java("selector-N", "Selector, one loop per core (" + loopsPerCore + " loops)",
                        "server", "selector", "--port", "0", "--loops", String.valueOf(loopsPerCore)),
                java("loom-virtual", "Blocking, one virtual thread per connection",
                        "server", "loom", "--port", "0", "--threads", "virtual"),
                java("loom-platform", "Blocking, one platform thread per connection",
                        "server", "loom", "--port", "0", "--threads", "platform"),
                java("netty-nio", "Netty 4.2, NIO transport, one event loop per core",
                        "server", "netty", "--port", "0", "--transport", "nio"),
                java("netty-epoll", "Netty 4.2, native edge-triggered epoll transport, one event loop per core",
                        "server", "netty", "--port", "0", "--transport", "epoll"),
                new Variant(NATIVE, Kind.NATIVE, "C epoll echo server (ceiling)",
                        List.of("--host", "127.0.0.1", "--port", "0")));
    }

    private static Variant java(String name, String description, String... args) {
        return new Variant(name, Kind.JAVA, description, List.of(args));
    }

    /** The command that starts this variant's server, pinned with taskset when the run pins. */
    public List<String> command(Launch launch) {
        List<String> cmd = new ArrayList<>(launch.serverPinning());
        switch (kind) {
            case JAVA -> {
                cmd.add(launch.java().toString());
                // Netty's epoll loads a JNI library, which JDK 24+ warns about unless native access is
                // enabled (JEP 472). Given to every Java server, so that none runs with other options.
                cmd.add(ENABLE_NATIVE_ACCESS);
                cmd.addAll(launch.serverJvmOptions());
                cmd.add("-cp");
                cmd.add(launch.classpath());
                cmd.add(Launch.MAIN_CLASS);
            }
            case NATIVE -> {
                if (launch.nativeBinary() == null) {
                    throw new IllegalStateException("native variant without a compiled binary");
                }
                cmd.add(launch.nativeBinary().toString());
            }
            case CUSTOM -> { }
        }
        cmd.addAll(args);
        return cmd;
    }
}

package study.echo.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import study.echo.bench.compare.Children;
import study.echo.bench.compare.Launch;
import study.echo.bench.compare.NativeBuild;
import study.echo.bench.compare.PointFailure;
import study.echo.bench.compare.Variant;

/**
 * An echo server variant running in a process of its own, so that a benchmark's client never shares a
 * JVM (JIT, GC, safepoints, cores) with the server it measures. It is started by the comparison's own
 * launcher ({@link Variant}, {@link Launch}), so a benchmark and {@code ./bench compare} start the same
 * server with the same JVM options; {@code native} compiles {@code native/echo_server.c}, packed into the
 * benchmarks jar, with {@link NativeBuild}.
 */
final class ServerProcess implements AutoCloseable {
    /** The variants a benchmark can ask for, as {@code @Param} values: the comparison's variant names. */
    static final String SELECTOR = "selector-1";
    static final String LOOM_VIRTUAL = "loom-virtual";
    static final String LOOM_PLATFORM = "loom-platform";
    static final String NATIVE = Variant.NATIVE;

    private final study.echo.bench.compare.ServerProcess process;
    private final InetSocketAddress address;

    private ServerProcess(study.echo.bench.compare.ServerProcess process) {
        this.process = process;
        String target = process.target();
        int colon = target.lastIndexOf(':');
        this.address = new InetSocketAddress(target.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(target.substring(colon + 1)));
    }

    /** Starts {@code variant} on a free loopback port and waits until it accepts connections. */
    static ServerProcess start(String variant) throws IOException, InterruptedException {
        Variant chosen = Variant.standard(1).stream().filter(v -> v.name().equals(variant)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server variant '" + variant
                        + "'; expected one of " + List.of(SELECTOR, LOOM_VIRTUAL, LOOM_PLATFORM, NATIVE)));
        Path work = Files.createTempDirectory("echo-benchmark-");
        Launch launch = Launch.thisJvm(NATIVE.equals(variant) ? compileNative(work) : null);
        try {
            return new ServerProcess(study.echo.bench.compare.ServerProcess.start(
                    new Children(), chosen.command(launch), work.resolve("server.log")));
        } catch (PointFailure e) {
            throw new IOException(variant + ": " + e.getMessage() + " (log in " + work + ")");
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /** SIGTERM, then SIGKILL if the server does not exit in time, so that no server outlives the benchmark. */
    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    /** Unpacks the C source from this jar into {@code work/native/} and compiles it there. */
    private static Path compileNative(Path work) throws IOException {
        Path source = Files.createDirectories(work.resolve("native")).resolve("echo_server.c");
        try (InputStream in = ServerProcess.class.getResourceAsStream("/" + NativeBuild.SOURCE)) {
            if (in == null) {
                throw new IOException(NativeBuild.SOURCE + " is not packed into the benchmarks jar; rebuild with ./bench build");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        NativeBuild build = NativeBuild.compile(work);
        if (build.binary() == null) {
            throw new IOException("the native variant cannot be built: " + build.note());
        }
        return build.binary();
    }
}

package study.echo.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An echo server variant running in a process of its own, started the way a user starts it, so that
 * a benchmark's client never shares a JVM (JIT, GC, safepoints, cores) with the server it measures.
 *
 * <p>Java variants run {@code study.echo.bench.Bench server ...} on this JVM's class path with the same
 * {@code java}; {@code native} compiles {@code native/echo_server.c} (packed into the benchmarks jar)
 * with the C compiler on PATH.
 */
final class ServerProcess implements AutoCloseable {
    /** The variants a benchmark can ask for, as {@code @Param} values. */
    static final String SELECTOR = "selector";
    static final String LOOM_VIRTUAL = "loom-virtual";
    static final String LOOM_PLATFORM = "loom-platform";
    static final String NATIVE = "native";

    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final String LISTENING = "listening on ";

    private final Process process;
    private final InetSocketAddress address;

    private ServerProcess(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /** Starts {@code variant} on a free loopback port and waits until it accepts connections. */
    static ServerProcess start(String variant) throws IOException, InterruptedException {
        List<String> command = command(variant);
        command.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            InetSocketAddress address = awaitListening(process, variant);
            return new ServerProcess(process, address);
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop(process);
            throw e;
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /**
     * SIGTERM, then SIGKILL if the server has not exited within {@value #STOP_TIMEOUT_SECONDS} s. An
     * interrupt while waiting kills it at once, so that no server outlives the benchmark.
     */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> command(String variant) throws IOException, InterruptedException {
        List<String> java = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "study.echo.bench.Bench", "server"));
        switch (variant) {
            case SELECTOR -> java.add("selector");
            case LOOM_VIRTUAL -> java.addAll(List.of("loom", "--threads", "virtual"));
            case LOOM_PLATFORM -> java.addAll(List.of("loom", "--threads", "platform"));
            case NATIVE -> {
                return new ArrayList<>(List.of(NativeServer.binary().toString()));
            }
            default -> throw new IllegalArgumentException("unknown server variant '" + variant + "'; expected one of "
                    + List.of(SELECTOR, LOOM_VIRTUAL, LOOM_PLATFORM, NATIVE));
        }
        return java;
    }

    /** Reads the server's first line, {@code listening on HOST:PORT}, within {@value #START_TIMEOUT_SECONDS} s. */
    private static InetSocketAddress awaitListening(Process process, String variant)
            throws IOException, InterruptedException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        // Reads the first line, then drains stdout until the server exits, so that a chatty server
        // never blocks on a full pipe.
        Thread.ofPlatform().daemon().name(variant + "-server-stdout").start(() -> {
            try (out) {
                firstLine.complete(out.readLine());
                while (out.readLine() != null) {
                    // Discard: only the first line has a meaning.
                }
            } catch (IOException e) {
                firstLine.complete(null);
            }
        });
        String line;
        try {
            line = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException(variant + " server printed nothing within " + START_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IOException(variant + " server output unreadable", e.getCause());
        }
        if (line == null || !line.startsWith(LISTENING)) {
            throw new IOException(variant + " server did not start (exit "
                    + (process.isAlive() ? "none yet" : process.exitValue()) + "), first line: " + line);
        }
        String hostPort = line.substring(LISTENING.length()).trim();
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** The native ceiling, compiled once per JVM from the C source packed into this jar. */
    static final class NativeServer {
        private static Path binary;

        private NativeServer() {}

        static synchronized Path binary() throws IOException, InterruptedException {
            if (binary == null) {
                binary = compile();
            }
            return binary;
        }

        private static Path compile() throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("echo-native-");
            Path source = dir.resolve("echo_server.c");
            Path exe = dir.resolve("echo_server");
            try (InputStream in = ServerProcess.class.getResourceAsStream("/native/echo_server.c")) {
                if (in == null) {
                    throw new IOException("native/echo_server.c is not packed into the benchmarks jar; rebuild with ./bench build");
                }
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            Process cc;
            try {
                cc = new ProcessBuilder("cc", "-O2", "-o", exe.toString(), source.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                throw new IOException("the native variant needs a C compiler ('cc' on PATH): " + e.getMessage(), e);
            }
            if (!cc.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || cc.exitValue() != 0) {
                cc.destroyForcibly();
                throw new IOException("compiling native/echo_server.c failed");
            }
            exe.toFile().deleteOnExit();
            source.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return exe;
        }
    }
}

package study.echo.bench.contract;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started the way a user starts one: its own JVM running {@code bench server ...}, ready
 * once it prints {@code listening on HOST:PORT}.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (.+):(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final CompletableFuture<String> stderr;
    private final List<String> stdoutLines;

    private ServerProcess(Process process, int port, CompletableFuture<String> stderr, List<String> stdoutLines) {
        this.process = process;
        this.port = port;
        this.stderr = stderr;
        this.stdoutLines = stdoutLines;
    }

    /** The command that runs {@code bench} with {@code args} in a fresh JVM using this test's classpath. */
    static List<String> benchCommand(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // As ./bench and the comparison start every server: Netty's epoll loads a JNI library, which
        // JDK 24+ warns about on stderr unless native access is enabled (JEP 472).
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "study.echo.bench.Bench"));
        command.addAll(args);
        return command;
    }

    /** Starts {@code bench server <serverArgs> --port 0} and waits until it listens. */
    static ServerProcess start(List<String> serverArgs) throws IOException {
        return start(serverArgs, 0);
    }

    /**
     * @param fileLimit when positive, the server runs with this hard and soft limit on open files
     *                  (through the shell's {@code ulimit}, since the JVM raises the soft limit itself)
     */
    static ServerProcess start(List<String> serverArgs, int fileLimit) throws IOException {
        List<String> args = new ArrayList<>(List.of("server"));
        args.addAll(serverArgs);
        args.addAll(List.of("--port", "0"));
        List<String> command = benchCommand(args);
        if (fileLimit > 0) {
            command = List.of("/bin/sh", "-c", "ulimit -n " + fileLimit + " && exec \"$@\"", "sh");
            command = concat(command, benchCommand(args));
        }
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stderr = onVirtualThread(() -> readAll(process));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        List<String> lines = new ArrayList<>();
        CompletableFuture<Integer> port = onVirtualThread(() -> awaitListening(out, lines));
        try {
            return new ServerProcess(process, port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), stderr, lines);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("server " + serverArgs + " did not start: " + e
                    + "; stdout " + lines + "; stderr: " + stderr.getNow("(still running)"), e);
        }
    }

    /** Blocking reads get threads of their own; the common pool may have only one on 2 cores. */
    private static <T> CompletableFuture<T> onVirtualThread(java.util.function.Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int awaitListening(BufferedReader out, List<String> lines) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    drainLater(out, lines);
                    return Integer.parseInt(m.group(2));
                }
            }
            throw new IllegalStateException("stdout ended before 'listening on'");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drainLater(BufferedReader out, List<String> lines) {
        Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getErrorStream().readAllBytes(), UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> stdoutLines() {
        synchronized (stdoutLines) {
            return List.copyOf(stdoutLines);
        }
    }

    /** All the server wrote on stderr; waits for the process to end first. */
    String stderr() throws Exception {
        return stderr.get(30, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the exit status, or null after {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Resident set size from /proc, in bytes. */
    long rssBytes() throws IOException {
        return procStatusKib("VmRSS:") * 1024;
    }

    int threadCount() throws IOException {
        return (int) procStatusKib("Threads:");
    }

    private long procStatusKib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(field + " not in /proc/" + pid() + "/status");
    }

    /** User plus system CPU time the server used so far, in clock ticks (normally 1/100 s). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

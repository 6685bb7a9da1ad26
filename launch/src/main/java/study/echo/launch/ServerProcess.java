package study.echo.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server under test: started, awaited until it prints {@code listening on HOST:PORT}, stopped
 * with SIGTERM. Its stdout and stderr go to a log file (in the comparison, in the run folder), as
 * evidence of a crash; its stdout lines are kept as well, since a server prints only a few.
 */
public final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Servers must exit within 5 s of SIGTERM; one more second for a loaded machine. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(6);
    /**
     * More grace per connection the server held: a thread per connection ends after its client leaves,
     * and on 2 cores loom-platform's 18,100 threads took about 6 s to end (by hand, after an
     * active-among-idle point), so a SIGTERM among them waited behind the teardown and was killed.
     */
    static final Duration STOP_GRACE_PER_CONNECTION = Duration.ofNanos(500_000);
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    private final Process process;
    private final Path log;
    private final String target;
    private final List<String> stdoutLines;

    private ServerProcess(Process process, Path log, String target, List<String> stdoutLines) {
        this.process = process;
        this.log = log;
        this.target = target;
        this.stdoutLines = stdoutLines;
    }

    public static ServerProcess start(Children children, List<String> command, Path log)
            throws PointFailure, IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p;
        try {
            p = children.start(pb);
        } catch (IOException e) {
            throw new PointFailure("server did not start: " + e.getMessage());
        }
        CompletableFuture<String> listening = new CompletableFuture<>();
        List<String> stdoutLines = new ArrayList<>();
        Thread.ofPlatform().daemon().name("server-stdout-" + p.pid()).start(() -> pump(p, log, listening, stdoutLines));
        try {
            String target = listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (target == null) {
                p.waitFor(2, TimeUnit.SECONDS);
                throw new PointFailure("server exited" + exitText(p) + " before listening" + lastLine(log));
            }
            return new ServerProcess(p, log, target, stdoutLines);
        } catch (TimeoutException e) {
            Children.stop(p, STOP_GRACE);
            throw new PointFailure("server printed no 'listening on' line within "
                    + START_TIMEOUT.toSeconds() + " s" + lastLine(log));
        } catch (InterruptedException e) {
            Children.stop(p, STOP_GRACE);
            Thread.currentThread().interrupt();
            throw new PointFailure("interrupted while the server started");
        } catch (java.util.concurrent.ExecutionException e) {
            Children.stop(p, STOP_GRACE);
            throw new PointFailure("server did not start: " + e.getCause());
        }
    }

    /** Completes {@code listening} with HOST:PORT, or null when stdout ends first; copies stdout to the log. */
    private static void pump(Process p, Path log, CompletableFuture<String> listening, List<String> stdoutLines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stdoutLines) {
                    stdoutLines.add(line);
                }
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(m.group(1) + ":" + m.group(2));
                }
            }
        } catch (IOException e) {
            // The stream closes when the process dies; what matters is that the waiter is told.
        } finally {
            listening.complete(null);
        }
    }

    /** {@code HOST:PORT} as the server printed it. */
    public String target() {
        return target;
    }

    /** The address to connect to, from {@link #target()} ({@code [::1]:PORT} included). */
    public InetSocketAddress address() {
        int colon = target.lastIndexOf(':');
        return new InetSocketAddress(target.substring(0, colon).replace("[", "").replace("]", ""), port());
    }

    public int port() {
        return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The log: the command line, then the server's stdout and stderr. */
    public Path log() {
        return log;
    }

    /** What the server printed on stdout so far. */
    public List<String> stdoutLines() {
        synchronized (stdoutLines) {
            return List.copyOf(stdoutLines);
        }
    }

    /** SIGTERM alone, for a caller that times the shutdown itself ({@link #awaitExit}). */
    public void terminate() {
        process.destroy();
    }

    /** The exit code, or null when the server still runs after {@code timeout}. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Why the server is gone, for the summary: exit code and its last log line. */
    public String deathReason() {
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "server exited" + exitText(process) + " during the point" + lastLine(log);
    }

    /** SIGTERM and wait; returns a note when the server did not exit cleanly, else null. */
    public String stop() throws InterruptedException {
        return stop(0);
    }

    /**
     * As {@link #stop()}, for a server that held {@code connections} until just now: it gets
     * {@link #STOP_GRACE_PER_CONNECTION} more for each (9 s more for 18,000).
     */
    public String stop(int connections) throws InterruptedException {
        if (!process.isAlive()) return null;
        Duration grace = STOP_GRACE.plus(STOP_GRACE_PER_CONNECTION.multipliedBy(Math.max(0, connections)));
        int code = Children.stop(process, grace);
        if (code == -1) return "server did not exit within " + seconds(grace) + " of SIGTERM and was killed";
        if (code != 0 && code != 143) return "server exited with code " + code + " on SIGTERM";
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** {@code 6 s}, {@code 15.1 s}. */
    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s"
                : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String exitText(Process p) {
        return p.isAlive() ? "" : " with code " + p.exitValue();
    }

    /** {@code : <last non-blank line>} of a log, or empty. */
    public static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 1; i--) {
                String l = lines.get(i).strip();
                if (!l.isEmpty()) return ": " + (l.length() > 200 ? l.substring(0, 200) + "..." : l);
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }
}

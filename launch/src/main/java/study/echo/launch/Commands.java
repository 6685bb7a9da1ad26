package study.echo.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short helper command (git, gcc, taskset, jcmd) to its end, within a time limit. Its output
 * is drained on a thread of its own: reading it to the end before waiting would block for as long
 * as the command runs, so a hung helper would hang the whole run and the limit would never fire.
 */
public final class Commands {
    /** How long the output may still flow once the command has exited (a descendant may hold the pipe). */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private Commands() {}

    /** How a command ended: its exit code and its stdout and stderr, merged. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code builder} (stderr merged into stdout), registered with {@code children} so that a
     * stopping run stops it too.
     *
     * @throws TimeoutException when it did not end within {@code timeout}; it and its descendants are killed first
     */
    public static Result run(Children children, ProcessBuilder builder, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        Process p = children.start(builder.redirectErrorStream(true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread drain = Thread.ofVirtual().name("drain-" + p.pid()).start(() -> drain(p.getInputStream(), out));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            Children.stop(p, KILL_GRACE);
            throw new TimeoutException(String.join(" ", builder.command()) + " did not finish within "
                    + timeout.toMillis() + " ms and was stopped");
        }
        drain.join(DRAIN_GRACE);
        synchronized (out) {
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * A probe: the stripped output of {@code cmd} run in {@code dir} when it exits 0 within
     * {@code timeout}; null when it cannot start, fails or hangs.
     */
    public static String outputOf(Path dir, Duration timeout, String... cmd) {
        try {
            Result r = run(new Children(), new ProcessBuilder(List.of(cmd)).directory(dir.toFile()), timeout);
            return r.ok() ? r.output().strip() : null;
        } catch (IOException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The pipe closes when the process is killed; what was read so far is the output.
        }
    }
}

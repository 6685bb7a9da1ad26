package study.echo.bench.compare;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process the comparison starts. On Ctrl-C the shutdown hook calls {@link #destroyAll}, so no
 * server or client JVM outlives the run; once closed, nothing new starts.
 */
public final class Children {
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /** Thrown instead of starting a process once the run is being stopped. */
    public static final class StoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedException() {
            super("the run is stopping", null, false, false);
        }
    }

    public synchronized Process start(ProcessBuilder builder) throws IOException {
        if (closed) throw new StoppedException();
        Process p = builder.start();
        live.add(p);
        p.onExit().thenRun(() -> live.remove(p));
        return p;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** SIGTERM to every child and its descendants, then SIGKILL to whatever is left after {@code grace}. */
    void destroyAll(Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Process p : live) {
                p.descendants().forEach(all::add);
                all.add(p.toHandle());
            }
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                awaitExit(h);
            }
        }
    }

    /** Waits a little for a killed process to be gone, so that nothing outlives the run. */
    private static void awaitExit(ProcessHandle h) {
        try {
            h.onExit().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // SIGKILL cannot be refused; a process still listed is a zombie its new parent will reap.
        }
    }

    /**
     * SIGTERM to a process and its descendants, then SIGKILL to whichever of them is left after
     * {@code grace} (a stopped process never acts on SIGTERM). Returns the process's exit code, or -1 if
     * it had to be killed.
     */
    public static int stop(Process p, Duration grace) throws InterruptedException {
        List<ProcessHandle> descendants = p.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        p.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        int code = p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : -1;
        for (ProcessHandle d : descendants) {
            try {
                d.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                d.destroyForcibly();
                awaitExit(d);
            }
        }
        if (code == -1) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        return code;
    }
}

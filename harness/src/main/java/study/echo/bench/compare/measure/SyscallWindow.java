package study.echo.bench.compare.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import study.echo.bench.compare.results.SyscallCounts;
import study.echo.launch.Children;
import study.echo.launch.ServerProcess;

/**
 * Counts one server's system calls over the client's measured window: the {@link WindowSampler} starts
 * the counter when the window opens and stops it with SIGINT, which makes perf and strace print their
 * counts, when it closes. Nothing here fails the point: a counter that cannot start, exits badly or
 * prints what cannot be read leaves the figures empty and says why in the point's notes.
 */
public final class SyscallWindow implements WindowSampler.WindowListener, AutoCloseable {
    /** How long a stopped counter may take to print: strace detaches from every thread first. */
    private static final long STOP_WAIT_MILLIS = 30_000;

    private final SyscallCounter counter;
    private final Children children;
    private final long pid;
    private final Path output;
    private final Path log;

    private volatile Process process;
    private volatile long startNanos;
    private volatile long stopNanos;
    private volatile String failure;

    /**
     * @param output where the counter writes its counts (kept beside the point's other files)
     * @param log the counter's own messages
     */
    public SyscallWindow(SyscallCounter counter, Children children, long pid, Path output, Path log) {
        this.counter = counter;
        this.children = children;
        this.pid = pid;
        this.output = output;
        this.log = log;
    }

    @Override
    public void windowStarted() {
        if (!counter.counts()) return;
        try {
            Files.deleteIfExists(output);
            List<String> command = counter.command(pid, output);
            // The command first, so that the count can be repeated by hand; lastLine skips it.
            Files.writeString(log, String.join(" ", command) + "\n");
            startNanos = System.nanoTime();
            process = children.start(new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        } catch (IOException | RuntimeException e) {
            if (e instanceof Children.StoppedException) throw (Children.StoppedException) e;
            failure = counter.tool() + " did not start: " + e.getMessage();
        }
    }

    /** Signals the counter to print and exit; the wait for it is in {@link #result}, off the sampler's clock. */
    @Override
    public void windowEnded() {
        Process p = process;
        if (p == null || stopNanos != 0) return;
        stopNanos = System.nanoTime();
        try {
            // perf and strace print their counts on SIGINT; Process.destroy() would send SIGTERM.
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            failure = "cannot send SIGINT to " + counter.tool() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while stopping " + counter.tool();
        }
    }

    /**
     * Stops a counter still running when the point ends early, and waits for it to print; one that does
     * not exit is killed, not left counting.
     */
    @Override
    public void close() {
        windowEnded();
        Process p = process;
        if (p == null) return;
        try {
            if (!p.waitFor(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (failure == null) failure = counter.tool() + " did not exit within " + STOP_WAIT_MILLIS / 1000 + " s of SIGINT";
                Children.stop(p, java.time.Duration.ofSeconds(3));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (failure == null) failure = "interrupted while waiting for " + counter.tool();
        }
    }

    /**
     * The counts per message.
     *
     * @param messages the messages the client counted in its measured window
     * @param clientDurationS that window's length
     * @param notes where a reason for empty figures goes
     */
    public SyscallCounts result(double messages, double clientDurationS, List<String> notes) {
        close();
        if (!counter.counts()) return SyscallCounts.notCounted(SyscallCounts.NONE);
        SyscallCounts empty = SyscallCounts.notCounted(counter.tool());
        String why = failure;
        Process p = process;
        if (why == null && p == null) why = "the measured window was not reached";
        if (why == null && p.isAlive()) why = counter.tool() + " is still running";
        if (why == null && !(p.exitValue() == 0 || p.exitValue() == 130)) {
            why = counter.tool() + " exited with code " + p.exitValue() + ServerProcess.lastLine(log);
        }
        if (why != null) {
            notes.add("system calls not counted: " + why);
            return empty;
        }
        try {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            CounterOutput.Tallies t = counter.tool().equals(SyscallCounts.PERF) ? CounterOutput.perf(text) : CounterOutput.strace(text);
            double windowS = t.durationS() != null ? t.durationS() : (stopNanos - startNanos) / 1e9;
            SyscallCounts counts = perMessage(counter, t, messages * windowS / clientDurationS);
            if (counts.syscallsPerMsg() == null) notes.add("system calls not counted: " + counter.tool() + " counted no "
                    + (counter.tool().equals(SyscallCounts.PERF) ? CounterOutput.ALL_SYSCALLS : "total") + " (see " + log.getFileName() + ")");
            return counts;
        } catch (IOException e) {
            notes.add("system calls not counted: " + counter.tool() + " wrote no readable " + output.getFileName() + ": " + e.getMessage());
        } catch (CounterOutput.FormatException e) {
            notes.add("system calls not counted: " + e.getMessage());
        }
        return empty;
    }

    /**
     * The tallies over {@code messages}, the messages echoed while the counter ran: the client's count
     * scaled to the counter's own window, since a closed or open loop runs at a steady rate within it.
     */
    static SyscallCounts perMessage(SyscallCounter counter, CounterOutput.Tallies t, double messages) {
        if (!(messages > 0)) return SyscallCounts.notCounted(counter.tool());
        boolean perf = counter.tool().equals(SyscallCounts.PERF);
        Long all = t.counts().get(perf ? CounterOutput.ALL_SYSCALLS : "total");
        Long switches = perf ? t.counts().get(CounterOutput.CONTEXT_SWITCHES) : null;
        Map<String, Double> byCall = new LinkedHashMap<>();
        for (String call : counter.calls()) {
            Long n = t.counts().get(perf ? CounterOutput.CALL_PREFIX + call : call);
            // strace lists only the calls that were made; perf names every event it was given.
            if (n == null && perf) continue;
            byCall.put(call, (n == null ? 0 : n) / messages);
        }
        return new SyscallCounts(counter.tool(), all == null ? null : all / messages,
                switches == null ? null : switches / messages, all == null ? Map.of() : byCall);
    }
}

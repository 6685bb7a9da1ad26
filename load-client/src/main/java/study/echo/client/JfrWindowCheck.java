package study.echo.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import study.echo.common.Cli;
import study.echo.common.UserException;

/**
 * Reads a flight recording of a client run and says whether the client's measured path changed or
 * allocated inside the measured window ({@link MeasuredWindowEvent}): every deoptimisation after the
 * window opened ({@code jdk.Deoptimization}, an uncommon trap that throws compiled code away, so that
 * sends wait for the interpreter and a recompile), every compilation of a client method then
 * ({@code jdk.Compilation}, the warm-up did not finish the work), the bytes the I/O threads allocated in
 * the window (exact, from the event) and where they went ({@code jdk.ObjectAllocationSample}, sampled).
 * {@code tools/client-jit-check} records the run and calls this.
 */
@Command(name = "client-jfr-check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a flight recording of a load-client run: deoptimisations, compilations and",
            "allocation of the client inside its measured window."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  no client method was deoptimised in the window, and the I/O threads",
            "     allocated less than --max-bytes-per-message",
            "  1  the recording cannot be read, or holds no measured window",
            "  2  bad options",
            "  3  a finding: a client method deoptimised in the window, or more allocated"})
public final class JfrWindowCheck implements Callable<Integer> {
    static final int EXIT_FINDING = 3;
    private static final String IO_THREAD_PREFIX = "client-io-";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECORDING.jfr", description = "The flight recording of one client run.")
    Path recording;

    @Option(names = "--client-json", paramLabel = "FILE",
            description = "The run's --json result: its messages turn bytes into bytes per message.")
    Path clientJson;

    @Option(names = "--max-bytes-per-message", defaultValue = "1", paramLabel = "BYTES",
            description = "Allocation on the I/O threads in the window above this, per message, is a finding;"
                    + " the smallest object is 16 bytes, so below 1 nothing is allocated per message"
                    + " (default: ${DEFAULT-VALUE}).")
    double maxBytesPerMessage;

    @Option(names = "--lead", defaultValue = "20ms", paramLabel = "TIME",
            description = "Also count what happened this long before the window was marked open: a trap that the"
                    + " opening itself sets off fires before the I/O thread marks it (default: ${DEFAULT-VALUE}).")
    Duration lead;

    /** What one recording shows about the window. */
    record Findings(Instant windowStart, Instant windowEnd, List<String> deopts, List<String> clientDeopts,
                    List<String> compilations, long allocatedBytes, Map<String, Long> sampledBytesBySite) {}

    public static void main(String[] args) {
        Cli.main(new JfrWindowCheck(), args);
    }

    @Override
    public Integer call() throws IOException {
        Findings f = read(recording, lead);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "measured window: %.3f s (%s to %s)%n",
                Duration.between(f.windowStart(), f.windowEnd()).toNanos() / 1e9, f.windowStart(), f.windowEnd());
        out.printf(Locale.ROOT, "deoptimisations from %d ms before the window opened to its close: %d, of the client: %d%n",
                lead.toMillis(), f.deopts().size(), f.clientDeopts().size());
        f.deopts().forEach(d -> out.println("  " + d));
        out.printf(Locale.ROOT, "compilations of client methods after the window opened: %d%n", f.compilations().size());
        f.compilations().forEach(c -> out.println("  " + c));
        Long messages = clientJson == null ? null : messages(clientJson);
        String perMessage = messages == null || messages == 0 ? ""
                : String.format(Locale.ROOT, " = %.4f B per message over %,d messages",
                        (double) f.allocatedBytes() / messages, messages);
        out.printf(Locale.ROOT, "allocated by the I/O threads in the window: %,d B%s%n", f.allocatedBytes(), perMessage);
        if (!f.sampledBytesBySite().isEmpty()) {
            out.println("  sampled, by object class and the innermost client frame (weights, bytes):");
            f.sampledBytesBySite().forEach((site, bytes) -> out.printf(Locale.ROOT, "  %,12d  %s%n", bytes, site));
        }
        boolean allocates = messages != null && messages > 0
                && (double) f.allocatedBytes() / messages > maxBytesPerMessage;
        out.flush();
        return f.clientDeopts().isEmpty() && !allocates ? 0 : EXIT_FINDING;
    }

    private static long messages(Path clientJson) {
        try {
            return ClientResult.read(clientJson).messages();
        } catch (IOException e) {
            throw new UserException("cannot read the client's --json result " + clientJson + ": " + e.getMessage());
        }
    }

    static Findings read(Path file, Duration lead) throws IOException {
        List<RecordedEvent> events;
        try {
            events = RecordingFile.readAllEvents(file);
        } catch (IOException e) {
            throw new UserException("cannot read the recording " + file + ": " + e.getMessage());
        }
        Instant start = null;
        Instant end = null;
        long allocated = 0;
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals(MeasuredWindowEvent.NAME)) {
                start = start == null || e.getStartTime().isBefore(start) ? e.getStartTime() : start;
                end = end == null || e.getEndTime().isAfter(end) ? e.getEndTime() : end;
                allocated += e.getLong("allocatedBytes");
            }
        }
        if (start == null) {
            throw new UserException("the recording " + file + " holds no measured window of the client"
                    + " (event " + MeasuredWindowEvent.NAME + "): was the run cut short before it?");
        }
        List<String> deopts = new ArrayList<>();
        List<String> clientDeopts = new ArrayList<>();
        List<String> compilations = new ArrayList<>();
        Map<String, Long> sampled = new LinkedHashMap<>();
        events.sort(Comparator.comparing(RecordedEvent::getStartTime));
        Instant from = start.minus(lead);
        for (RecordedEvent e : events) {
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(end)) {
                continue;
            }
            String at = String.format(Locale.ROOT, "+%.3f ms", Duration.between(start, e.getStartTime()).toNanos() / 1e6);
            switch (e.getEventType().getName()) {
                case "jdk.Deoptimization" -> {
                    RecordedMethod m = e.getValue("method");
                    String line = String.format(Locale.ROOT, "%s  %s  %s line %d bci %d  reason %s, action %s%s",
                            at, threadName(e), name(m), e.getInt("lineNumber"), e.getInt("bci"),
                            e.getString("reason"), e.getString("action"), label(e, m, start));
                    deopts.add(line);
                    if (onClientPath(e, m, start)) {
                        clientDeopts.add(line);
                    }
                }
                case "jdk.Compilation" -> {
                    RecordedMethod m = e.getValue("method");
                    if (isClient(m)) {
                        compilations.add(String.format(Locale.ROOT, "%s  tier %d  %s%s", at,
                                e.getShort("compileLevel"), name(m), e.getBoolean("succeded") ? "" : " (failed)"));
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    if (threadName(e).startsWith(IO_THREAD_PREFIX)) {
                        String site = e.getClass("objectClass").getName() + " at " + innermostClientFrame(e);
                        sampled.merge(site, e.getLong("weight"), Long::sum);
                    }
                }
                default -> { }
            }
        }
        return new Findings(start, end, deopts, clientDeopts, compilations, allocated, sampled);
    }

    /** A deoptimisation that costs the client's sends: on one of its I/O threads (the collector's are listed, not counted). */
    private static boolean onClientPath(RecordedEvent e, RecordedMethod m, Instant windowStart) {
        return costsTheClient(threadName(e), m == null ? null : m.getType().getName(), e.getString("action"),
                e.getStartTime().isBefore(windowStart));
    }

    /**
     * Whether a deoptimisation on this thread, in a method of this class, costs a run that is not
     * recorded. The recording's own code ({@code jdk.jfr.*}, e.g. {@code EventWriter} committing a
     * {@code jdk.FileRead} of /proc that took longer than its threshold on a busy machine) runs on the
     * I/O thread only because a recording is on: it is listed, not counted.
     *
     * In the lead before the opening, only a trap that throws the compiled code away counts: that is
     * what the opening must not do to the measured path (a branch first taken there, {@code unstable_if},
     * {@code reinterpret}). A trap there that keeps it ({@code none}, {@code maybe_recompile}: HotSpot's
     * {@code Deoptimization::DeoptAction}, "need not invalidate") sends one call of the opening's own
     * bookkeeping to the interpreter once, before anything is measured (a clean-clone CI run saw
     * {@code Unsafe::allocateUninitializedArray}, {@code class_check}, 4 ms before the opening). Inside the
     * window every trap counts.
     *
     * @param thread the Java name of the thread it happened on, {@code "?"} when unknown
     * @param type the deoptimised method's class, {@code null} when unknown
     * @param action the trap's action as JFR names it ({@code reinterpret}, {@code maybe_recompile}, ...)
     * @param beforeOpening whether it came in the lead, before the window was marked open
     */
    static boolean costsTheClient(String thread, String type, String action, boolean beforeOpening) {
        if (!thread.startsWith(IO_THREAD_PREFIX) || isRecordingsOwn(type)) return false;
        return !beforeOpening || !keepsCompiledCode(action);
    }

    /** JFR's own code, which runs on a client thread only because a recording is on. */
    private static boolean isRecordingsOwn(String type) {
        return type != null && type.startsWith("jdk.jfr.");
    }

    private static boolean keepsCompiledCode(String action) {
        return "none".equals(action) || "maybe_recompile".equals(action);
    }

    /** The client's code and the histograms it records into. */
    static boolean isClient(RecordedMethod m) {
        if (m == null) {
            return false;
        }
        String type = m.getType().getName();
        return type.startsWith("study.echo.client.") || type.startsWith("org.HdrHistogram.");
    }

    private static String label(RecordedEvent e, RecordedMethod m, Instant windowStart) {
        if (onClientPath(e, m, windowStart)) {
            return "  [client I/O thread]";
        }
        if (!threadName(e).startsWith(IO_THREAD_PREFIX)) return "";
        return m != null && isRecordingsOwn(m.getType().getName()) ? "  [the recording's own code, not counted]"
                : "  [before the opening, compiled code kept, not counted]";
    }

    private static String innermostClientFrame(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "(no stack trace)";
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        for (RecordedFrame f : frames) {
            if (isClient(f.getMethod())) {
                return name(f.getMethod()) + " line " + f.getLineNumber();
            }
        }
        return frames.isEmpty() ? "(empty stack)" : name(frames.get(0).getMethod());
    }

    private static String threadName(RecordedEvent e) {
        RecordedThread t = e.getThread();
        return t == null || t.getJavaName() == null ? "?" : t.getJavaName();
    }

    private static String name(RecordedMethod m) {
        return m == null ? "?" : m.getType().getName() + "::" + m.getName();
    }
}

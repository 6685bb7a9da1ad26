package study.echo.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import study.echo.common.BadOptionException;
import study.echo.common.Cli;
import study.echo.common.Durations;
import study.echo.common.UserException;

/**
 * {@code tools/park-lag}: how late the three ways the load client can wait for a due send return, on
 * this machine, with nothing else running (issue 14). {@code LockSupport.parkNanos(D)} is what the
 * client's I/O loop does below 1 ms to the next send; {@code Selector.select(ms)} what it does from
 * 1 ms on; a {@code Thread.onSpinWait} spin what {@code --spin-before-send} does. With
 * {@code --keep-other-core-busy} a second thread spins throughout, so that no other vCPU idles: if parks
 * then return much less late, what makes them late is an idle vCPU's wake-up (from halt, through the
 * hypervisor), not the timer.
 */
@Command(name = "park-lag", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How late LockSupport.parkNanos(D), Selector.select(ms) and a Thread.onSpinWait spin return.",
            "One CSV row per method and wait on stdout, in microseconds: the return less the requested end.",
            "A return before it counts as early, not as lateness."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  every row measured (a row cut short by --max-time says so in its samples)",
            "  1  the measurement could not run (no selector)",
            "  2  bad options"})
public final class ParkLag implements Callable<Integer> {
    static final String HEADER = "method,requested_us,samples,p50_late_us,p99_late_us,p999_late_us,max_late_us,"
            + "early_returns,other_core_busy";
    static final int MAX_SAMPLES = 1_000_000;
    static final int MAX_SPINNERS = 256;
    private static final long MAX_DURATION_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    enum Method { PARK, SELECT, SPIN }

    @Spec
    CommandSpec spec;

    @Option(names = "--samples", defaultValue = "2000", paramLabel = "N",
            description = "Waits per method and duration, 1-" + MAX_SAMPLES + " (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--durations", defaultValue = "10us,50us,200us,1ms", split = ",", paramLabel = "D[,D...]",
            description = "Requested waits, 1us to 100ms each; select's are rounded up to whole ms, the"
                    + " selector's unit (default: ${DEFAULT-VALUE}).")
    List<Duration> durations;

    @Option(names = "--methods", defaultValue = "park,select,spin", split = ",", paramLabel = "M[,M...]",
            description = "Any of park, select, spin (default: ${DEFAULT-VALUE}).")
    List<Method> methods;

    @Option(names = "--max-time", defaultValue = "60s", paramLabel = "TIME",
            description = "Bound on the whole measurement; each row gets an equal share and stops early at its"
                    + " end (default: ${DEFAULT-VALUE}).")
    Duration maxTime;

    @Option(names = "--keep-other-core-busy",
            description = "Run a spinning thread throughout, so that the other core never idles.")
    boolean keepOtherCoreBusy;

    @Option(names = "--spinner-threads", defaultValue = "1", paramLabel = "N",
            description = "With --keep-other-core-busy: spinning threads, 1-" + MAX_SPINNERS + ". A park's timer fires on"
                    + " the parked thread's own vCPU, which one spinner leaves idle; as many as cores keep every vCPU"
                    + " busy, at the cost of competing with the parked thread (default: ${DEFAULT-VALUE}).")
    int spinnerThreads;

    public static void main(String[] args) {
        Cli.main(new ParkLag(), args);
    }

    /** One row to measure: a method and the wait it asks for. */
    record Cell(Method method, long requestedNanos) {}

    @Override
    public Integer call() throws IOException {
        List<Cell> cells = cells();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("park-lag: " + Runtime.getRuntime().availableProcessors() + " cores, timer slack "
                + timerSlack() + ", " + (keepOtherCoreBusy ? spinnerThreads + " spinning thread(s) running" : "no spinner"));
        err.flush();
        long shareNanos = maxTime.toNanos() / cells.size();
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; keepOtherCoreBusy && i < spinnerThreads; i++) {
            spinners.add(startSpinner());
        }
        try (Selector selector = openSelector()) {
            out.println(HEADER);
            for (Cell cell : cells) {
                out.println(row(cell, measure(cell, selector, shareNanos)));
                out.flush();
            }
        } finally {
            spinners.forEach(Thread::interrupt);
        }
        return 0;
    }

    /** The rows in order; select once per distinct whole-millisecond timeout. */
    List<Cell> cells() {
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new BadOptionException("--samples must be between 1 and " + MAX_SAMPLES + ", got " + samples);
        }
        if (spinnerThreads < 1 || spinnerThreads > MAX_SPINNERS) {
            throw new BadOptionException("--spinner-threads must be between 1 and " + MAX_SPINNERS + ", got "
                    + spinnerThreads);
        }
        if (maxTime.toMillis() < 1) {
            throw new BadOptionException("--max-time must be at least 1ms, got " + Durations.format(maxTime));
        }
        List<Cell> cells = new ArrayList<>();
        for (Method m : new LinkedHashSet<>(methods)) {
            Set<Long> requested = new LinkedHashSet<>();
            for (Duration d : durations) {
                long nanos = d.toNanos();
                if (nanos < 1_000 || nanos > MAX_DURATION_NANOS) {
                    throw new BadOptionException("--durations: each must be between 1us and 100ms, got "
                            + Durations.format(d));
                }
                requested.add(m == Method.SELECT ? TimeUnit.MILLISECONDS.toNanos(ceilMillis(nanos)) : nanos);
            }
            requested.forEach(n -> cells.add(new Cell(m, n)));
        }
        return cells;
    }

    /** Result of one row: lateness of each return that was not early, and how many were. */
    record Lateness(Histogram lateNanos, long early) {
        long samples() {
            return lateNanos.getTotalCount() + early;
        }
    }

    /** Waits as {@code cell} says, {@link #samples} times or until {@code budgetNanos} have gone. */
    Lateness measure(Cell cell, Selector selector, long budgetNanos) throws IOException {
        Histogram late = new Histogram(3);
        long early = 0;
        long stopAt = System.nanoTime() + budgetNanos;
        long millis = TimeUnit.NANOSECONDS.toMillis(cell.requestedNanos());
        for (int i = 0; i < samples && System.nanoTime() - stopAt < 0; i++) {
            long start = System.nanoTime();
            long end = start + cell.requestedNanos();
            switch (cell.method()) {
                case PARK -> LockSupport.parkNanos(cell.requestedNanos());
                case SELECT -> selector.select(millis);
                case SPIN -> {
                    while (System.nanoTime() - end < 0) {
                        Thread.onSpinWait();
                    }
                }
            }
            long lateNanos = System.nanoTime() - end;
            if (lateNanos < 0) {
                early++;
            } else {
                late.recordValue(lateNanos);
            }
        }
        return new Lateness(late, early);
    }

    private String row(Cell cell, Lateness r) {
        Histogram h = r.lateNanos();
        return String.join(",", cell.method().name().toLowerCase(Locale.ROOT),
                Report.num(cell.requestedNanos() / 1e3, 0), Long.toString(r.samples()),
                Report.num(Report.percentileMicros(h, 50), 1), Report.num(Report.percentileMicros(h, 99), 1),
                Report.num(Report.percentileMicros(h, 99.9), 1), Report.num(Report.maxMicros(h), 1),
                Long.toString(r.early()), Boolean.toString(keepOtherCoreBusy));
    }

    private static long ceilMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }

    private static Selector openSelector() {
        try {
            return Selector.open();
        } catch (IOException e) {
            throw new UserException("cannot open a selector: " + e.getMessage());
        }
    }

    /** A daemon platform thread that spins until interrupted: it keeps a second vCPU out of its idle halt. */
    private static Thread startSpinner() {
        return Thread.ofPlatform().daemon().name("park-lag-spinner").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
        });
    }

    /** Linux's timer slack for this process, the usual floor of a park's lateness (50 us by default). */
    private static String timerSlack() {
        try {
            return Files.readString(Path.of("/proc/self/timerslack_ns")).trim() + " ns";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}

package study.echo.client;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * Why an I/O thread's sends left late (issue 14): for every send more than {@link SendStats#ON_TIME_NANOS}
 * after its intended time, what the thread did just before it. The lag {@code now - intended} splits
 * into the part the last wait ran past both its own requested end and the send's time (the
 * <em>oversleep</em>) and the rest, spent working (the previous pass's reads and flushes, this pass's
 * start). The larger part names the cause: an overslept park, a {@code select(timeout)} that returned
 * late, or a busy pass. A pass that did not wait (a {@code selectNow} pass, or a spin) has no oversleep,
 * so its late sends are busy ones.
 *
 * <p>A JVM pause or a thread the kernel did not run cannot be seen per send without a system call; they
 * land in whichever part they interrupted (a safepoint during a park ends the park late). So the
 * thread's run-queue wait ({@code /proc/thread-self/schedstat}) and the collector's pauses are read at
 * the window's edges, off the send path, for a reader to set beside the counts; safepoints other than
 * the collector's are for {@code -Xlog:safepoint} ({@code tools/send-lag-check} reads it).
 *
 * <p>Every count and histogram is chosen by index, not by a branch: a send over 100 us may be rare in
 * the warm-up, and a branch first taken inside the window is compiled as a trap that throws the send
 * path away (see {@link SendStats#sent}). Index 0 is a discard slot. Owned by the I/O thread.
 */
final class LagCauses {
    /** Kinds of the last wait; also indexes of {@link #waitLateness}. */
    static final int NO_WAIT = 0;
    static final int PARK = 1;
    static final int SELECT = 2;
    /** A cause index beside {@link #PARK} and {@link #SELECT}: the lag went mostly on work, not on a wait. */
    static final int BUSY = 3;
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
    /** Wide enough for any wait or pass worth looking at (10 s); 2 digits are plenty to name a cause. */
    private static final long RANGE_NANOS = 10_000_000_000L;
    private static final int DIGITS = 2;

    /** Sends over 100 us late by cause; [0] counts the others. */
    private final long[] lateBy = new long[4];
    /** Per cause, how much of each late send's lag it took: the oversleep, or the work; [0] is discarded. */
    private final Histogram[] lateAmount = histograms(4);
    /** Every park's and every timed select's lateness past its requested end; [0] is discarded. */
    private final Histogram[] waitLateness = histograms(3);
    private long echoes;
    private long echoesAfterPark;
    private long runQueueWaitNanos;
    private long timeslices;
    /** I/O threads whose schedstat could not be read (not Linux); their run-queue wait is unknown. */
    private int schedstatUnknown;
    private long gcPauses;
    private long gcPauseMillis;

    // The last wait, I/O thread only: what the next pass's late sends are attributed to.
    private int waitKind = NO_WAIT;
    private long requestedEndNanos;
    private long waitEndNanos;
    // The window's opening, as read by windowOpened.
    private long[] schedstatAtOpen;
    private long[] gcAtOpen;

    /** A park or timed select begins, asked to end at {@code requestedEndNanos}. */
    void waitBegan(int kind, long requestedEndNanos) {
        waitKind = kind;
        this.requestedEndNanos = requestedEndNanos;
    }

    /** The wait begun by {@link #waitBegan} ended (a select: when the first ready key was handed out, or it returned). */
    void waitEnded(long endNanos) {
        waitEndNanos = endNanos;
        waitLateness[waitKind].recordValue(Math.max(1, endNanos - requestedEndNanos));
    }

    /** The pass at {@code nowNanos} did not wait: its successor's late sends are busy ones. */
    void noWait(long nowNanos) {
        waitKind = NO_WAIT;
        requestedEndNanos = nowNanos;
        waitEndNanos = nowNanos;
    }

    /** A send the cap let go at {@code nowNanos}, due at {@code intendedNanos}. */
    void sent(long intendedNanos, long nowNanos) {
        long lag = nowNanos - intendedNanos;
        long late = (SendStats.ON_TIME_NANOS - lag) >>> 63;
        long oversleep = Math.max(0, waitEndNanos - Math.max(intendedNanos, requestedEndNanos));
        long busy = lag - oversleep;
        int overWins = 1 - (int) ((oversleep - busy) >>> 63);
        int cause = (int) late * (overWins * waitKind + (1 - overWins) * BUSY);
        lateBy[cause]++;
        lateAmount[cause].recordValue(Math.max(1, overWins * oversleep + (1 - overWins) * busy));
    }

    /** {@code completed} echoes were read; those read right after a park may have waited in the socket through it. */
    void echoed(int completed) {
        echoes += completed;
        echoesAfterPark += completed & -(waitKind & PARK);
    }

    /** The window opens (or its opening is rehearsed): the counts start again and the edges are read. */
    void reset() {
        java.util.Arrays.fill(lateBy, 0);
        for (Histogram h : lateAmount) h.reset();
        for (Histogram h : waitLateness) h.reset();
        echoes = 0;
        echoesAfterPark = 0;
        runQueueWaitNanos = 0;
        timeslices = 0;
        schedstatUnknown = 0;
        gcPauses = 0;
        gcPauseMillis = 0;
    }

    /** On the I/O thread as the window opens: the run-queue and collector figures the window's are measured from. */
    void windowOpened() {
        schedstatAtOpen = schedstat();
        gcAtOpen = collectorPauses();
    }

    /** On the I/O thread as the window closes. */
    void windowClosed() {
        long[] s = schedstat();
        if (s == null || schedstatAtOpen == null) {
            schedstatUnknown = 1;
        } else {
            runQueueWaitNanos = s[0] - schedstatAtOpen[0];
            timeslices = s[1] - schedstatAtOpen[1];
        }
        long[] gc = collectorPauses();
        gcPauses = gc[0] - gcAtOpen[0];
        gcPauseMillis = gc[1] - gcAtOpen[1];
    }

    /** Merges another I/O thread's figures; the collector's pauses are the process's, so the larger is kept, not the sum. */
    void add(LagCauses other) {
        for (int i = 0; i < lateBy.length; i++) {
            lateBy[i] += other.lateBy[i];
            lateAmount[i].add(other.lateAmount[i]);
        }
        for (int i = 0; i < waitLateness.length; i++) {
            waitLateness[i].add(other.waitLateness[i]);
        }
        echoes += other.echoes;
        echoesAfterPark += other.echoesAfterPark;
        runQueueWaitNanos += other.runQueueWaitNanos;
        timeslices += other.timeslices;
        schedstatUnknown += other.schedstatUnknown;
        gcPauses = Math.max(gcPauses, other.gcPauses);
        gcPauseMillis = Math.max(gcPauseMillis, other.gcPauseMillis);
    }

    /** Sends over 100 us late after a wait of {@code cause} ({@link #PARK}, {@link #SELECT}) or a busy pass ({@link #BUSY}). */
    long late(int cause) {
        return lateBy[cause];
    }

    /** Sends over 100 us late, every cause. */
    long late() {
        return lateBy[PARK] + lateBy[SELECT] + lateBy[BUSY];
    }

    /** For sends late by {@code cause}: the oversleep (a wait) or the work (busy) in each one's lag. */
    Histogram lateAmount(int cause) {
        return lateAmount[cause];
    }

    /** Every {@link #PARK}'s or {@link #SELECT}'s lateness past its requested end, at least 1 ns. */
    Histogram waitLateness(int kind) {
        return waitLateness[kind];
    }

    long echoes() {
        return echoes;
    }

    long echoesAfterPark() {
        return echoesAfterPark;
    }

    /** Time the I/O threads were runnable but not running over the window, summed; -1 when unknown. */
    long runQueueWaitNanos() {
        return schedstatUnknown > 0 ? -1 : runQueueWaitNanos;
    }

    long timeslices() {
        return timeslices;
    }

    long gcPauses() {
        return gcPauses;
    }

    long gcPauseMillis() {
        return gcPauseMillis;
    }

    /** The calling thread's run-queue wait (ns) and timeslices from schedstat, or null where there is none. */
    private static long[] schedstat() {
        try {
            String[] f = Files.readString(SCHEDSTAT).trim().split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The collector's pauses so far and their time in ms. G1's "Concurrent GC" bean counts concurrent
     * cycles, which do not stop the I/O thread, so it is left out.
     */
    private static long[] collectorPauses() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().contains("Concurrent")) {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
        }
        return new long[] {count, millis};
    }

    private static Histogram[] histograms(int n) {
        Histogram[] h = new Histogram[n];
        for (int i = 0; i < n; i++) {
            h[i] = LatencyRecorders.presized(RANGE_NANOS, DIGITS);
        }
        return h;
    }
}

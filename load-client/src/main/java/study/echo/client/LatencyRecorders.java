package study.echo.client;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * The latency recorder of one I/O thread, never one per connection: an HdrHistogram interval
 * recorder, the same double-buffering under a {@link WriterReaderPhaser} that {@code Recorder} uses,
 * holding two histograms (latency and service time) that swap together. Two separate
 * {@code Recorder}s would swap a few microseconds apart, and a message recorded in between would land
 * in different intervals for its two times. Values are nanoseconds, HdrHistogram's convention, at
 * {@value #SIGNIFICANT_DIGITS} significant digits; the histograms resize themselves.
 *
 * <p>Two savings on the per-message path, where the client competes with the server for CPU:
 * <ul>
 *   <li>The writer's critical section covers a batch, not one message: the I/O thread enters it at the
 *       first record of a pass of its loop and leaves it in {@link #endBatch}, after the pass, so that
 *       two atomic operations are paid per pass instead of per message. A pass never blocks once it
 *       records (the selector has already returned), so the collector's swap waits microseconds at most.</li>
 *   <li>When every message goes out at its intended time (the closed loop), service time is latency;
 *       only the latency histogram is recorded, and it is handed out as both.</li>
 * </ul>
 */
final class LatencyRecorders {
    static final int SIGNIFICANT_DIGITS = 3;
    /**
     * The histograms on the I/O thread are made this wide from the start (nanoseconds; an hour). An
     * auto-resizing histogram grows when a value beyond its range comes, and it finds out by catching an
     * {@code ArrayIndexOutOfBoundsException} and copying its counts: on the I/O thread that allocated
     * about 7 bytes per message of a 20,000 msg/s run, and took a send's time each time a new tail
     * arrived. A value beyond it still resizes the histogram, correctly.
     */
    static final long PRESIZED_RANGE_NANOS = 3_600_000_000_000L;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final boolean serviceIsLatency;
    private volatile Pair active = new Pair();
    private Pair inactive = new Pair();
    /** I/O thread only: the pair written in the open batch, or null when no batch is open. */
    private Pair batch;
    private long batchCriticalValue;

    private record Pair(Histogram latency, Histogram service) {
        Pair() {
            this(presized(), presized());
        }
    }

    /** An auto-resizing histogram already as wide as {@link #PRESIZED_RANGE_NANOS}, so that recording never grows it below that. */
    static Histogram presized() {
        return presized(PRESIZED_RANGE_NANOS, SIGNIFICANT_DIGITS);
    }

    /** An auto-resizing histogram already {@code rangeNanos} wide, at {@code digits} significant digits. */
    static Histogram presized(long rangeNanos, int digits) {
        Histogram h = new Histogram(digits);
        h.recordValue(rangeNanos);
        h.reset();
        return h;
    }

    /** @param serviceIsLatency true when every message is sent at its intended time, as in the closed loop */
    LatencyRecorders(boolean serviceIsLatency) {
        this.serviceIsLatency = serviceIsLatency;
    }

    /**
     * Called by the I/O thread only; wait-free. Opens a batch if none is open: the thread must call
     * {@link #endBatch} before it next blocks, and before it ends.
     *
     * @param latencyNanos from the intended send time to the end of the echo
     * @param serviceNanos from the actual send time to the end of the echo
     */
    void record(long latencyNanos, long serviceNanos) {
        Pair p = batch;
        if (p == null) {
            batchCriticalValue = phaser.writerCriticalSectionEnter();
            p = batch = active;
        }
        p.latency.recordValue(latencyNanos);
        if (!serviceIsLatency) {
            p.service.recordValue(serviceNanos);
        }
    }

    /** Closes the open batch, if any, so that the collector can take what it recorded. I/O thread only. */
    void endBatch() {
        if (batch != null) {
            batch = null;
            phaser.writerCriticalSectionExit(batchCriticalValue);
        }
    }

    /** Adds what was recorded since the last call to the two histograms. Called by the collector thread only. */
    void drainInto(Histogram latencyTotal, Histogram serviceTotal) {
        phaser.readerLock();
        try {
            inactive.latency.reset();
            inactive.service.reset();
            Pair recorded = active;
            active = inactive;
            phaser.flipPhase();
            inactive = recorded;
            latencyTotal.add(recorded.latency);
            serviceTotal.add(serviceIsLatency ? recorded.latency : recorded.service);
        } finally {
            phaser.readerUnlock();
        }
    }
}

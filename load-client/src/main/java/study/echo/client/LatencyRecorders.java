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
 */
final class LatencyRecorders {
    static final int SIGNIFICANT_DIGITS = 3;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Pair active = new Pair();
    private Pair inactive = new Pair();

    private record Pair(Histogram latency, Histogram service) {
        Pair() {
            this(new Histogram(SIGNIFICANT_DIGITS), new Histogram(SIGNIFICANT_DIGITS));
        }
    }

    /**
     * Called by the I/O thread only; wait-free.
     *
     * @param latencyNanos from the intended send time to the end of the echo
     * @param serviceNanos from the actual send time to the end of the echo
     */
    void record(long latencyNanos, long serviceNanos) {
        long critical = phaser.writerCriticalSectionEnter();
        try {
            Pair p = active;
            p.latency.recordValue(latencyNanos);
            p.service.recordValue(serviceNanos);
        } finally {
            phaser.writerCriticalSectionExit(critical);
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
            serviceTotal.add(recorded.service);
        } finally {
            phaser.readerUnlock();
        }
    }
}

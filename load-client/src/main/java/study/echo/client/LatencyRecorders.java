package study.echo.client;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The two latency recorders of one I/O thread, never one per connection. Values are nanoseconds,
 * HdrHistogram's convention, at 3 significant digits.
 */
final class LatencyRecorders {
    static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder latency = new Recorder(SIGNIFICANT_DIGITS);
    private final Recorder service = new Recorder(SIGNIFICANT_DIGITS);
    private Histogram recycledLatency;
    private Histogram recycledService;

    /**
     * @param latencyNanos from the intended send time to the end of the echo
     * @param serviceNanos from the actual send time to the end of the echo
     */
    void record(long latencyNanos, long serviceNanos) {
        latency.recordValue(latencyNanos);
        service.recordValue(serviceNanos);
    }

    /** Adds what was recorded since the last call to the two histograms. Called by the collector thread only. */
    void drainInto(Histogram latencyTotal, Histogram serviceTotal) {
        recycledLatency = latency.getIntervalHistogram(recycledLatency);
        recycledService = service.getIntervalHistogram(recycledService);
        latencyTotal.add(recycledLatency);
        serviceTotal.add(recycledService);
    }
}

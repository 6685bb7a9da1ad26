package study.echo.client;

import org.HdrHistogram.Histogram;

/**
 * What one second of a run recorded, over all I/O threads.
 *
 * @param warmup       true while warming up; such intervals count in no result
 * @param startSeconds start, in seconds since measuring began (negative during warm-up)
 * @param endSeconds   end, in the same clock
 * @param latency      nanoseconds from intended send time to the end of the echo
 * @param service      nanoseconds from actual send time to the end of the echo
 * @param errors       integrity errors (mismatches, short echoes, early closes) in this interval
 * @param unanswered   messages in {@code latency} that were not answered by the window's end, recorded at
 *                     how long they had waited (the last interval only)
 */
record Interval(boolean warmup, double startSeconds, double endSeconds, Histogram latency, Histogram service,
                long errors, long unanswered) {
    double lengthSeconds() {
        return endSeconds - startSeconds;
    }

    /** Messages answered in this interval. */
    long messages() {
        return latency.getTotalCount() - unanswered;
    }

    double throughput() {
        return lengthSeconds() > 0 ? messages() / lengthSeconds() : 0;
    }
}

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
 */
record Interval(boolean warmup, double startSeconds, double endSeconds, Histogram latency, Histogram service,
                long errors) {
    double lengthSeconds() {
        return endSeconds - startSeconds;
    }

    double throughput() {
        return lengthSeconds() > 0 ? latency.getTotalCount() / lengthSeconds() : 0;
    }
}

package study.echo.client;

import org.HdrHistogram.Histogram;

/**
 * A finished run.
 *
 * @param measuredSeconds wall time of the measured window
 * @param latency         all measured latencies, nanoseconds from the intended send time
 * @param service         all measured service times, nanoseconds from the actual send time
 * @param counters        final counts; integrity errors cover the whole run, warm-up included
 * @param cpuSeconds      CPU time the client process used during the measured window
 */
record RunResult(ClientConfig config, double measuredSeconds, Histogram latency, Histogram service,
                 Counters counters, double cpuSeconds) {
    double throughput() {
        return measuredSeconds > 0 ? latency.getTotalCount() / measuredSeconds : 0;
    }

    /** Percent of one core; above 100 when the client used more than one. */
    double cpuPercent() {
        return measuredSeconds > 0 ? 100 * cpuSeconds / measuredSeconds : 0;
    }
}

package study.echo.client;

import org.HdrHistogram.Histogram;

/**
 * A finished run.
 *
 * @param measuredSeconds wall time of the measured window
 * @param latency         all measured latencies, nanoseconds from the intended send time; includes the
 *                        unanswered messages at how long they had waited
 * @param service         all measured service times, nanoseconds from the actual send time
 * @param counters        final counts; integrity errors cover the whole run, warm-up included
 * @param sends           open loop: how the sends of the measured window kept to the schedule; empty in the closed loop
 * @param unanswered      messages not answered by the window's end that had already waited longer than any
 *                        answered one; in {@code latency}, not in {@link #messages}
 * @param longestUnansweredNanos the longest of their waits, 0 when there were none
 * @param cpuSeconds      CPU time the client process used during the measured window
 * @param busiestIoThreadCpuSeconds CPU time of the busiest I/O thread during the measured window
 * @param idleCores       cores' worth of the machine's CPU idle during the measured window; NaN when unknown
 * @param interrupted     true when the run was stopped before its duration was over (Ctrl-C)
 * @param idleHeld        idle connections held through the run ({@code --hold-idle})
 * @param idleLost        of those, the ones that no longer echoed at the end
 */
record RunResult(ClientConfig config, double measuredSeconds, Histogram latency, Histogram service,
                 Counters counters, SendStats sends, long unanswered, long longestUnansweredNanos,
                 double cpuSeconds, double busiestIoThreadCpuSeconds, double idleCores, boolean interrupted,
                 int idleHeld, int idleLost) {
    /** An unanswered message that waited longer than this means the server stopped answering. */
    static final long SILENCE_MIN_NANOS = 1_000_000_000L;
    /** ... or longer than this share of the window, when that is longer. */
    static final double SILENCE_WINDOW_SHARE = 0.10;

    /** Messages answered in the measured window. */
    long messages() {
        return latency.getTotalCount() - unanswered;
    }

    double throughput() {
        return measuredSeconds > 0 ? messages() / measuredSeconds : 0;
    }

    /**
     * Whether a message went unanswered for longer than the larger of one second and a tenth of the
     * window: the larger, so that a server past its capacity, whose queue is long but moving, is not
     * called silent.
     */
    boolean serverStoppedAnswering() {
        long limit = Math.max(SILENCE_MIN_NANOS, (long) (SILENCE_WINDOW_SHARE * measuredSeconds * 1e9));
        return unanswered > 0 && longestUnansweredNanos > limit;
    }

    /** Percent of one core used by the busiest I/O thread. */
    double busiestIoThreadPercent() {
        return measuredSeconds > 0 ? 100 * busiestIoThreadCpuSeconds / measuredSeconds : 0;
    }

    /** Percent of one core; above 100 when the client used more than one. */
    double cpuPercent() {
        return measuredSeconds > 0 ? 100 * cpuSeconds / measuredSeconds : 0;
    }
}

package study.echo.bench.compare.results;

import study.echo.common.work.WorkSpec;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.client.ClientResult;

/**
 * The judgements a row carries beside its figures, and the one place their rules are written.
 *
 * @param clientLimitSuspect the client, not the server, may have set the pace; null when not judged
 * @param sloP99Micros the SLO an open-loop point was judged against; null otherwise
 * @param meetsSlo whether an open-loop point met it; null otherwise
 */
public record Verdicts(Boolean clientLimitSuspect, Long sloP99Micros, Boolean meetsSlo) {

    public static final Verdicts NONE = new Verdicts(null, null, null);

    /** A share of late sends above which the client fell behind its own schedule. */
    static final double LATE_SHARE = 0.01;
    /** Percent of one core per client thread at which the client counts as saturated. */
    static final double SATURATED_PERCENT_PER_THREAD = 90.0;
    /** Share of the offered load an open-loop point must achieve to meet the SLO. */
    static final double ACHIEVED_SHARE = 0.95;

    public static Verdicts judge(PointId id, ClientResult client, int clientThreads, long sloP99Micros) {
        boolean limited = clientLimited(client, clientThreads);
        if (id.mode() != Point.Mode.OPEN) return new Verdicts(limited, null, null);
        long slo = sloMicros(id.work(), sloP99Micros);
        return new Verdicts(limited, slo, meetsSlo(client.p99Micros(), client.throughputMsgsPerS(), id.rateMsgsPerSec(), slo));
    }

    /**
     * The p99 objective of a point whose requests take {@code work}: {@code --slo-p99} above the work's own
     * time (cpu + wait), which no design can beat. A 5 ms objective for requests that wait 10 ms would fail
     * every design at every rate and say nothing.
     */
    public static long sloMicros(WorkSpec work, long sloP99Micros) {
        return sloP99Micros + (work.cpuTime().toNanos() + work.waitTime().toNanos()) / 1000;
    }

    /**
     * The client may have set the pace: more than 1% of its sends were late by its own schedule, or
     * its busiest I/O thread was within 10% of a whole core (one event loop saturated: the client's
     * real limit, where its whole-process CPU also counts JIT and GC threads). For a result without
     * that figure (an older client), its whole-process CPU within 10% of what its threads can use.
     */
    public static boolean clientLimited(ClientResult c, int clientThreads) {
        boolean late = c.messages() > 0 && c.lateSends() > LATE_SHARE * c.messages();
        double busiest = c.busiestIoThreadCpuPercent();
        boolean saturated = Double.isNaN(busiest)
                ? c.clientCpuPercent() >= SATURATED_PERCENT_PER_THREAD * clientThreads
                : busiest >= SATURATED_PERCENT_PER_THREAD;
        return late || saturated;
    }

    /** An open-loop rate is met when p99 stays within the SLO and at least 95% of the offered load got through. */
    public static boolean meetsSlo(double p99Micros, double throughputMsgsPerS, int offeredMsgsPerS, long sloP99Micros) {
        return p99Micros <= sloP99Micros && throughputMsgsPerS >= ACHIEVED_SHARE * offeredMsgsPerS;
    }
}

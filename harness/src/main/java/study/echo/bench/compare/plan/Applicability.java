package study.echo.bench.compare.plan;

import java.time.Duration;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/**
 * Which variant runs at which work: the one rule the plan, the dry run and the report all apply.
 *
 * <ul>
 *   <li>A variant that cannot wait (the C server) is <em>not applicable</em> at a point whose work waits:
 *       the point is listed and reported as such, never run, never a failure.</li>
 *   <li>An offloading variant runs only where the work waits: without a wait a hand-off to a pool only adds
 *       a queue and a wake-up to selector-1, and would lengthen the run without answering anything.</li>
 *   <li>An event loop without an offload pool at a point whose work waits is the classic mistake: the loop
 *       serves one request at a time, so each connection waits {@code connections × (wait + cpu)} for its
 *       answer. It is measured, bounded: only the plain Selector server (Netty's own documentation sends a
 *       blocking handler to an {@code EventExecutorGroup}, which selector-offload-platform stands for), and
 *       only where that round trip stays within {@link #MAX_BLOCKED_ROUND_TRIP}, well under the 1 s after
 *       which the load client calls a server silent and exits 4. Everywhere else it is left out of the plan,
 *       so it can neither fail points nor lengthen the run.</li>
 * </ul>
 */
public enum Applicability {
    RUNS, NOT_APPLICABLE, LEFT_OUT;

    /** The longest round trip a blocked event loop may impose on each connection for its point to run. */
    public static final Duration MAX_BLOCKED_ROUND_TRIP = Duration.ofMillis(200);

    public static Applicability of(Variant variant, WorkSpec work, int connections) {
        if (work.hasWait() && !variant.handlesWaits()) return NOT_APPLICABLE;
        if (variant.offloads() && !work.hasWait()) return LEFT_OUT;
        if (work.hasWait() && variant.waitsOnItsLoop()) {
            boolean selector = variant.serverCommand().equals("selector");
            Duration roundTrip = work.waitTime().plus(work.cpuTime()).multipliedBy(connections);
            return selector && roundTrip.compareTo(MAX_BLOCKED_ROUND_TRIP) <= 0 ? RUNS : LEFT_OUT;
        }
        return RUNS;
    }

    /** Why a variant does not run at a work, for the dry run, environment.json and the report's notes. */
    public static String why(Variant variant, WorkSpec work, int connections) {
        return switch (of(variant, work, connections)) {
            case RUNS -> "runs";
            case NOT_APPLICABLE -> "not applicable: " + variant.name() + " implements no wait";
            case LEFT_OUT -> variant.offloads() ? "left out: an offload pool only matters where the work waits"
                    : "left out: a wait on this event loop (" + connections + " connections x (wait + cpu) per answer)"
                            + " is measured only on the Selector server, up to " + MAX_BLOCKED_ROUND_TRIP.toMillis() + " ms";
        };
    }
}

package study.echo.client;

import java.util.Locale;

/**
 * What to tell the user when an I/O thread of the client was saturated. More client threads help only
 * when the machine has cores that neither the server nor the client used; on a machine they share, a
 * second client thread takes its core from the server (on 2 cores it cut throughput by a quarter), so
 * the honest advice is to read the figure as a lower bound on the server.
 */
final class SaturationAdvice {
    /** A busiest I/O thread at or above this share of a core means the client may have been the limit. */
    static final double SATURATED_PERCENT = 90;
    /** Idle capacity, in cores, that another client thread could use without taking the server's. */
    static final double IDLE_CORES_FOR_ANOTHER_THREAD = 0.9;

    private SaturationAdvice() {}

    /**
     * @param busiestIoThreadPercent percent of one core used by the busiest I/O thread
     * @param ioThreads              the client's I/O threads
     * @param cores                  the machine's cores
     * @param idleCores              cores' worth of CPU idle over the window; NaN when unknown
     * @return the warning, or null when the client was not saturated
     */
    static String advice(double busiestIoThreadPercent, int ioThreads, int cores, double idleCores) {
        if (busiestIoThreadPercent < SATURATED_PERCENT) {
            return null;
        }
        String busy = String.format(Locale.ROOT, "an I/O thread of the client was busy %.0f%% of the time",
                busiestIoThreadPercent);
        if (ioThreads < cores && idleCores >= IDLE_CORES_FOR_ANOTHER_THREAD) {
            return String.format(Locale.ROOT, "%s and %.1f of the %d cores were idle: the client may have been the"
                    + " limit; try more --client-threads", busy, idleCores, cores);
        }
        String idle = Double.isNaN(idleCores) ? "" : String.format(Locale.ROOT, ", %.1f idle", idleCores);
        return String.format(Locale.ROOT, "%s, and client and server share the %d cores%s: the client may have been"
                + " the limit, so the throughput is a lower bound on the server's; more --client-threads would take"
                + " CPU from the server, not add to the load", busy, cores, idle);
    }
}

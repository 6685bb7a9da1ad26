package study.echo.client;

import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import study.echo.common.Durations;

/** The human summary on stdout. It says plainly when the client, not the server, was the limit. */
final class SummaryPrinter {
    private SummaryPrinter() {}

    static void print(RunResult r, PrintWriter out) {
        ClientConfig c = r.config();
        Counters n = r.counters();
        Histogram lat = r.latency();
        String loop = c.mode() == ClientConfig.Mode.OPEN
                ? String.format(Locale.ROOT, "open loop at %,d msg/s, %s arrivals%s, max in flight %s",
                        c.rateMsgsPerSec(), c.arrivals().label(), c.arrivals().kind() == ArrivalPattern.Kind.POISSON
                                ? " (seed " + c.seed() + ")" : "",
                        c.maxInFlight() == 0 ? "unbounded" : Integer.toString(c.maxInFlight()))
                : "closed loop, pipeline " + c.pipeline();
        out.printf(Locale.ROOT, "%s: %s, %,d connections x %,d B, %d I/O threads, %s measured after %s warm-up%n",
                c.target(), loop, c.connections(), c.sizeBytes(), c.threads(),
                Durations.format(c.duration()), Durations.format(c.warmup()));
        out.printf(Locale.ROOT, "  messages     %,d in %.2f s = %,.0f msg/s%s%n",
                r.messages(), r.measuredSeconds(), r.throughput(), r.unanswered() == 0 ? ""
                        : String.format(Locale.ROOT, "; %,d unanswered at the end, the oldest for %s (in the latency"
                                + " figures at that wait)", r.unanswered(), Report.human(r.longestUnansweredNanos())));
        out.printf(Locale.ROOT, "  latency      p50 %s  p90 %s  p99 %s  p99.9 %s  p99.99 %s  max %s%n",
                Report.humanPercentile(lat, 50), Report.humanPercentile(lat, 90), Report.humanPercentile(lat, 99),
                Report.humanPercentile(lat, 99.9), Report.humanPercentile(lat, 99.99),
                Report.humanPercentile(lat, 100));
        out.printf(Locale.ROOT, "  service      p50 %s  p99 %s  max %s  (from the actual send, not the intended one)%n",
                Report.humanPercentile(r.service(), 50), Report.humanPercentile(r.service(), 99),
                Report.humanPercentile(r.service(), 100));
        out.printf(Locale.ROOT, "  errors       %d mismatches, %d short echoes, %d early closes, %d connect failures%s%n",
                n.get(Counters.Kind.MISMATCHES), n.get(Counters.Kind.SHORT_ECHOES),
                n.get(Counters.Kind.EARLY_CLOSES), n.connectFailures(),
                n.connectFailures() > 0 ? " (" + n.describeConnectFailures() + ")" : "");
        if (r.idleHeld() > 0) {
            out.printf(Locale.ROOT, "  idle         %,d connections held besides the active ones (--hold-idle), %d lost%n",
                    r.idleHeld(), r.idleLost());
        }
        SendStats sends = r.sends();
        if (c.mode() == ClientConfig.Mode.OPEN) {
            out.printf(Locale.ROOT, "  sends        %,d held by the in-flight cap, %,d late (client behind by more than %s)%n",
                    sends.capped(), sends.late(), Report.human(OpenLoop.LATE_NANOS));
            out.printf(Locale.ROOT, "  send lag     p50 %s  p99 %s  max %s  (actual less intended send, sends the cap let go);"
                    + " %s within %s%n",
                    Report.humanPercentile(sends.lagNanos(), 50), Report.humanPercentile(sends.lagNanos(), 99),
                    Report.humanPercentile(sends.lagNanos(), 100), sends.scheduled() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.3f%%", sends.onTimePercent()),
                    Report.human(SendStats.ON_TIME_NANOS));
        } else {
            out.println("  sends        closed loop: each send follows an echo, so there is no schedule to fall behind");
        }
        out.printf(Locale.ROOT, "  client CPU   %.2f s = %.0f%% of one core (%d cores here); busiest I/O thread %.0f%%%n",
                r.cpuSeconds(), r.cpuPercent(), Runtime.getRuntime().availableProcessors(),
                r.busiestIoThreadPercent());
        if (!c.spinBeforeSend().isZero()) {
            out.printf(Locale.ROOT, "  spin         the I/O threads spin through the last %s before each due send"
                    + " (--spin-before-send): their busy share includes the spin, and is the spin's cost%n",
                    Report.human(c.spinBeforeSend().toNanos()));
        }
        String advice = SaturationAdvice.advice(r.busiestIoThreadPercent(), c.threads(),
                Runtime.getRuntime().availableProcessors(), r.idleCores());
        if (advice != null) {
            out.println("  WARNING: " + advice);
        }
        if (r.serverStoppedAnswering()) {
            out.printf(Locale.ROOT, "  WARNING: the server at %s stopped answering: %,d messages were still unanswered"
                    + " when the window closed, the oldest for %s. They are in the latency figures at how long they"
                    + " had waited, a lower bound.%n", c.target(), r.unanswered(),
                    Report.human(r.longestUnansweredNanos()));
        }
        if (sends.fellBehind()) {
            out.printf(Locale.ROOT, "  WARNING: the client fell behind its own schedule: %,d sends (%.2f%%, more than"
                    + " %.1f%%) went out more than %s late, at worst %s behind. The client, not the server, limited"
                    + " those sends.%n", sends.late(), 100.0 * sends.late() / sends.scheduled(),
                    100 * SendStats.BEHIND_SHARE, Report.human(OpenLoop.LATE_NANOS),
                    Report.human(sends.lagNanos().getMaxValue()));
        }
        if (r.interrupted()) {
            out.printf(Locale.ROOT, "  INTERRUPTED: the run was stopped after %.2f s of the %s asked for%n",
                    r.measuredSeconds(), Durations.format(c.duration()));
        }
        if (r.messages() == 0) {
            out.println("  WARNING: no message completed in the measured window");
        }
        out.flush();
    }

    /**
     * {@code --send-lag-detail}: why the sends over 100 us late were late, and what to set beside that.
     * The first line's wording is read by {@code tools/send-lag-check}.
     */
    static void printSendLagDetail(RunResult r, PrintWriter out) {
        if (r.config().mode() != ClientConfig.Mode.OPEN) {
            return;
        }
        LagCauses causes = r.sends().causes();
        out.printf(Locale.ROOT, "  late causes  %,d sends over %s late: %,d after an overslept park (%s),"
                        + " %,d after a late select (%s), %,d after a busy pass (%s)%n",
                causes.late(), Report.human(SendStats.ON_TIME_NANOS),
                causes.late(LagCauses.PARK), spread("oversleep", causes.lateAmount(LagCauses.PARK)),
                causes.late(LagCauses.SELECT), spread("past due", causes.lateAmount(LagCauses.SELECT)),
                causes.late(LagCauses.BUSY), spread("work", causes.lateAmount(LagCauses.BUSY)));
        Histogram parks = causes.waitLateness(LagCauses.PARK);
        Histogram selects = causes.waitLateness(LagCauses.SELECT);
        out.printf(Locale.ROOT, "  waits        %,d parks, past their requested end p50 %s  p99 %s  p99.9 %s  max %s;"
                        + " %,d timed selects, past their timeout p99 %s  max %s%n",
                parks.getTotalCount(), Report.humanPercentile(parks, 50), Report.humanPercentile(parks, 99),
                Report.humanPercentile(parks, 99.9), Report.humanPercentile(parks, 100),
                selects.getTotalCount(), Report.humanPercentile(selects, 99), Report.humanPercentile(selects, 100));
        out.printf(Locale.ROOT, "  echoes       %,d of %,d read right after a park: each may have waited in its socket"
                + " until the park ended, and its latency includes that%n", causes.echoesAfterPark(), causes.echoes());
        long runQueue = causes.runQueueWaitNanos();
        out.printf(Locale.ROOT, "  I/O thread   runnable but not running %s over the window, in %,d timeslices"
                        + " (schedstat); the collector paused %,d times, %,d ms in all%n",
                runQueue < 0 ? "(unknown: no schedstat)" : "for " + Report.human(runQueue), causes.timeslices(),
                causes.gcPauses(), causes.gcPauseMillis());
        out.flush();
    }

    private static String spread(String what, Histogram h) {
        return h.getTotalCount() == 0 ? what + " -" : String.format(Locale.ROOT, "%s p50 %s  p99 %s  max %s", what,
                Report.humanPercentile(h, 50), Report.humanPercentile(h, 99), Report.humanPercentile(h, 100));
    }
}

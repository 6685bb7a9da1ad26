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
                ? String.format(Locale.ROOT, "open loop at %,d msg/s, max in flight %s", c.rateMsgsPerSec(),
                        c.maxInFlight() == 0 ? "unbounded" : Integer.toString(c.maxInFlight()))
                : "closed loop, pipeline " + c.pipeline();
        out.printf(Locale.ROOT, "%s: %s, %,d connections x %,d B, %d I/O threads, %s measured after %s warm-up%n",
                c.target(), loop, c.connections(), c.sizeBytes(), c.threads(),
                Durations.format(c.duration()), Durations.format(c.warmup()));
        out.printf(Locale.ROOT, "  messages     %,d in %.2f s = %,.0f msg/s%n",
                lat.getTotalCount(), r.measuredSeconds(), r.throughput());
        out.printf(Locale.ROOT, "  latency      p50 %s  p90 %s  p99 %s  p99.9 %s  p99.99 %s  max %s%n",
                Report.humanPercentile(lat, 50), Report.humanPercentile(lat, 90), Report.humanPercentile(lat, 99),
                Report.humanPercentile(lat, 99.9), Report.humanPercentile(lat, 99.99),
                Report.humanPercentile(lat, 100));
        out.printf(Locale.ROOT, "  service      p99 %s  (from the actual send, not the intended one)%n",
                Report.humanPercentile(r.service(), 99));
        out.printf(Locale.ROOT, "  errors       %d mismatches, %d short echoes, %d early closes, %d connect failures%n",
                n.get(Counters.Kind.MISMATCHES), n.get(Counters.Kind.SHORT_ECHOES),
                n.get(Counters.Kind.EARLY_CLOSES), n.connectFailures());
        if (c.mode() == ClientConfig.Mode.OPEN) {
            out.printf(Locale.ROOT, "  sends        %,d held by the in-flight cap, %,d late (client behind by more than %s), at worst %s behind%n",
                    n.get(Counters.Kind.CAPPED_SENDS), n.get(Counters.Kind.LATE_SENDS),
                    Report.human(OpenLoop.LATE_NANOS), Report.human(n.maxBehindNanos()));
        } else {
            out.println("  sends        closed loop: each send follows an echo, so there is no schedule to fall behind");
        }
        out.printf(Locale.ROOT, "  client CPU   %.2f s = %.0f%% of one core (%d cores here)%n",
                r.cpuSeconds(), r.cpuPercent(), Runtime.getRuntime().availableProcessors());
        if (n.get(Counters.Kind.LATE_SENDS) > 0) {
            out.printf(Locale.ROOT, "  WARNING: the client fell behind its own schedule: %,d sends went out late,"
                    + " at worst %s behind. The client, not the server, limited those sends.%n",
                    n.get(Counters.Kind.LATE_SENDS), Report.human(n.maxBehindNanos()));
        }
        if (lat.getTotalCount() == 0) {
            out.println("  WARNING: no message completed in the measured window");
        }
        out.flush();
    }
}

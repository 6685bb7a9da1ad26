package study.echo.client;

import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** One line per second on stderr, so a long run shows it is alive and a stall shows when it happens. */
final class ProgressPrinter implements RunListener {
    private final PrintWriter err;
    private final double warmupSeconds;
    /** Everything measured so far, for the running p99. */
    private final Histogram soFar = new Histogram(LatencyRecorders.SIGNIFICANT_DIGITS);

    ProgressPrinter(PrintWriter err, java.time.Duration warmup) {
        this.err = err;
        this.warmupSeconds = warmup.toNanos() / 1e9;
    }

    @Override
    public void connecting(int opened, int failed, int total) {
        err.printf(Locale.ROOT, "connecting: %d of %d open, %d failed%n", opened, total, failed);
        err.flush();
    }

    @Override
    public void interval(Interval i) {
        if (!i.warmup()) {
            soFar.add(i.latency());
        }
        err.printf(Locale.ROOT, "%-7s %6.1fs %,10.0f msg/s  p99 %-9s max %-9s p99 so far %-9s errors %d%n",
                i.warmup() ? "warmup" : "measure", warmupSeconds + i.endSeconds(), i.throughput(),
                Report.humanPercentile(i.latency(), 99), Report.humanPercentile(i.latency(), 100),
                Report.humanPercentile(soFar, 99), i.errors());
        err.flush();
    }
}

package study.echo.client;

import java.io.PrintWriter;
import java.util.Locale;

/** One line per second on stderr, so a long run shows it is alive and a stall shows when it happens. */
final class ProgressPrinter implements RunListener {
    private final PrintWriter err;
    private final double warmupSeconds;

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
        err.printf(Locale.ROOT, "%-7s %7.1fs  %,12.0f msg/s  p99 %-10s  max %-10s  errors %d%n",
                i.warmup() ? "warmup" : "measure", warmupSeconds + i.endSeconds(), i.throughput(),
                Report.humanPercentile(i.latency(), 99), Report.humanPercentile(i.latency(), 100), i.errors());
        err.flush();
    }
}

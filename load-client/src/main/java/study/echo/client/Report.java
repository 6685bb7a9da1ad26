package study.echo.client;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Number formatting shared by the outputs: microseconds from nanosecond histograms, locale-independent. */
final class Report {
    private Report() {}

    static double micros(long nanos) {
        return nanos / 1000.0;
    }

    static double percentileMicros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : micros(h.getValueAtPercentile(percentile));
    }

    static double maxMicros(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : micros(h.getMaxValue());
    }

    /** For CSV cells: plain digits, '.' as decimal point, whatever the locale. */
    static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** For people: 850 us, 12.3 ms, 1.20 s. */
    static String human(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String humanPercentile(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : human(h.getValueAtPercentile(percentile));
    }
}

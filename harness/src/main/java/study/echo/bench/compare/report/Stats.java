package study.echo.bench.compare.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and range of a few repetitions, and the number format of the report. */
public record Stats(double median, double min, double max, int n) {

    public static Stats of(List<Double> values) {
        List<Double> v = new ArrayList<>();
        for (Double d : values) if (d != null && !d.isNaN()) v.add(d);
        if (v.isEmpty()) return null;
        Collections.sort(v);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Stats(median, v.get(0), v.get(n - 1), n);
    }

    /** {@code median (min–max)}, or just the value when there is one repetition. */
    public String cell() {
        if (n == 1 || min == max) return format(median);
        return format(median) + " (" + format(min) + "–" + format(max) + ")";
    }

    /** Thousands separated above 1000, whole numbers above 100, three significant digits below. */
    public static String format(double v) {
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%,d", Math.round(v));
        if (v == 0) return "0";
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}

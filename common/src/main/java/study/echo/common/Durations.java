package study.echo.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way people write them on a command line: {@code 500ms}, {@code 30s}, {@code 2m}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(us|ms|s|m|h)");

    private Durations() {}

    /**
     * @param text a whole number followed by a unit: {@code us}, {@code ms}, {@code s}, {@code m} or {@code h}
     * @throws IllegalArgumentException with a message that names the accepted format
     */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; write a whole number and a unit, e.g. 500ms, 30s, 2m");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "us" -> Duration.ofNanos(amount * 1_000);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new AssertionError(m.group(2));
        };
    }

    /** The shortest exact spelling that {@link #parse} reads back, e.g. {@code 1500ms}, {@code 30s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 3_600_000_000_000L == 0 && nanos != 0) return nanos / 3_600_000_000_000L + "h";
        if (nanos % 60_000_000_000L == 0 && nanos != 0) return nanos / 60_000_000_000L + "m";
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
        if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + "ms";
        return nanos / 1_000L + "us";
    }
}

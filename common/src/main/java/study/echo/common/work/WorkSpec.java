package study.echo.common.work;

import java.time.Duration;
import study.echo.common.BadOptionException;
import study.echo.common.Durations;

/**
 * What a server does with each request before it echoes it: CPU work of a given duration, then a
 * blocking wait of a given duration (a database or downstream call), either, both or neither.
 * Written {@code none}, {@code cpu:20us}, {@code wait:1ms} or {@code cpu:20us+wait:1ms}.
 *
 * @param cpuTime  CPU work per request, 0 to 10 s; 0 is none
 * @param waitTime blocking wait per request, 0 to 10 s; 0 is none
 */
public record WorkSpec(Duration cpuTime, Duration waitTime) {
    /** Longer than this per request is a typo, not a service. */
    public static final Duration MAX = Duration.ofSeconds(10);
    public static final WorkSpec NONE = new WorkSpec(Duration.ZERO, Duration.ZERO);

    public WorkSpec {
        check("cpu", cpuTime);
        check("wait", waitTime);
    }

    private static void check(String kind, Duration d) {
        if (d == null || d.isNegative()) {
            throw new BadOptionException("work " + kind + ": must not be negative");
        }
        if (d.compareTo(MAX) > 0) {
            throw new BadOptionException("work " + kind + ":" + Durations.format(d) + " is over the limit of "
                    + Durations.format(MAX) + " per request");
        }
    }

    /**
     * @param text {@code none}, {@code cpu:D}, {@code wait:D} or {@code cpu:D1+wait:D2}, each D a whole
     *             number and a unit ({@code us}, {@code ms}, {@code s})
     * @throws BadOptionException naming the accepted forms
     */
    public static WorkSpec parse(String text) {
        String spec = text.trim();
        if (spec.equals("none")) {
            return NONE;
        }
        Duration cpu = Duration.ZERO;
        Duration wait = Duration.ZERO;
        String[] parts = spec.split("\\+", -1);
        if (parts.length > 2) {
            throw bad(text);
        }
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("cpu:") && i == 0) {
                cpu = duration(text, part.substring(4));
            } else if (part.startsWith("wait:") && i == parts.length - 1) {
                wait = duration(text, part.substring(5));
            } else {
                throw bad(text);
            }
        }
        return new WorkSpec(cpu, wait);
    }

    private static Duration duration(String text, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException("--work '" + text + "': " + e.getMessage());
        }
    }

    private static BadOptionException bad(String text) {
        return new BadOptionException("--work '" + text
                + "' is not a work spec; write none, cpu:DURATION, wait:DURATION or cpu:DURATION+wait:DURATION,"
                + " e.g. cpu:20us+wait:1ms");
    }

    public boolean isNone() {
        return !hasCpu() && !hasWait();
    }

    public boolean hasCpu() {
        return !cpuTime.isZero();
    }

    public boolean hasWait() {
        return !waitTime.isZero();
    }

    /** The spelling {@link #parse} reads back: {@code none}, {@code cpu:20us}, {@code cpu:20us+wait:1ms}. */
    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        String cpuText = hasCpu() ? "cpu:" + Durations.format(cpuTime) : "";
        String waitText = hasWait() ? "wait:" + Durations.format(waitTime) : "";
        return hasCpu() && hasWait() ? cpuText + "+" + waitText : cpuText + waitText;
    }
}

package study.echo.client;

/**
 * The times of one run, all {@link System#nanoTime} values: the schedule starts at {@code startNanos},
 * measurement runs from {@code measureFromNanos} to {@code endNanos}. Warm-up lies between the first two.
 */
record RunClock(long startNanos, long measureFromNanos, long endNanos) {
    RunClock {
        if (measureFromNanos - startNanos < 0 || endNanos - measureFromNanos <= 0) {
            throw new IllegalArgumentException("times out of order");
        }
    }

    boolean measured(long nanos) {
        return nanos - measureFromNanos >= 0 && nanos - endNanos < 0;
    }
}

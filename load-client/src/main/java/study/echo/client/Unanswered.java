package study.echo.client;

import java.util.Arrays;

/**
 * The messages of one I/O thread still unanswered when the measured window closed, each with how long
 * it had waited by then: from its intended send time (latency) and from its actual send (service time,
 * or -1 for a message the in-flight cap never let out). Both are lower bounds. Filled on the rare path
 * at the window's end, so it may allocate.
 */
final class Unanswered {
    private long[] latencyNanos = new long[16];
    private long[] serviceNanos = new long[16];
    private int size;

    void add(long latencyNanos, long serviceNanos) {
        if (size == this.latencyNanos.length) {
            this.latencyNanos = Arrays.copyOf(this.latencyNanos, 2 * size);
            this.serviceNanos = Arrays.copyOf(this.serviceNanos, 2 * size);
        }
        this.latencyNanos[size] = latencyNanos;
        this.serviceNanos[size] = serviceNanos;
        size++;
    }

    int size() {
        return size;
    }

    long latencyNanos(int i) {
        return latencyNanos[i];
    }

    /** -1 when the message was never sent. */
    long serviceNanos(int i) {
        return serviceNanos[i];
    }
}

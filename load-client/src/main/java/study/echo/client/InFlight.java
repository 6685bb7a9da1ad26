package study.echo.client;

/**
 * The messages of one connection that were sent and not yet fully echoed, oldest first: for each its
 * intended and its actual send time. A growable ring, so that an unbounded open loop needs no limit
 * here; it allocates only when it grows.
 */
final class InFlight {
    private long[] times = new long[2 * 4];
    private int head;
    private int size;

    int size() {
        return size;
    }

    void push(long intendedNanos, long sentNanos) {
        if (size == times.length / 2) {
            grow();
        }
        int slot = 2 * ((head + size) & (times.length / 2 - 1));
        times[slot] = intendedNanos;
        times[slot + 1] = sentNanos;
        size++;
    }

    /** Intended send time of the {@code i}-th oldest message. */
    long intendedNanos(int i) {
        return times[2 * ((head + i) & (times.length / 2 - 1))];
    }

    /** Actual send time of the oldest message. */
    long oldestSentNanos() {
        return times[2 * head + 1];
    }

    /** Actual send time of the {@code i}-th oldest message. */
    long sentNanos(int i) {
        return times[2 * ((head + i) & (times.length / 2 - 1)) + 1];
    }

    void removeOldest() {
        head = (head + 1) & (times.length / 2 - 1);
        size--;
    }

    private void grow() {
        long[] bigger = new long[times.length * 2];
        int capacity = times.length / 2;
        for (int i = 0; i < size; i++) {
            int from = 2 * ((head + i) & (capacity - 1));
            bigger[2 * i] = times[from];
            bigger[2 * i + 1] = times[from + 1];
        }
        times = bigger;
        head = 0;
    }
}

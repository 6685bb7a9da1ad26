package study.echo.client;

import org.HdrHistogram.Histogram;

/**
 * How one I/O thread's open-loop sends kept to the schedule: the send lag (actual send less intended
 * send, for sends the in-flight cap let go at once), and the capped and late sends. Owned by the I/O
 * thread; warm-up sends are counted here too, by the same code, and {@link #reset} drops them when the
 * measured window opens, so that nothing on the send path changes when it does.
 */
final class SendStats {
    private final Histogram lagNanos = LatencyRecorders.presized();
    private long capped;
    private long late;

    /** A send the cap let go at once, {@code lagNanos} after its intended time. */
    void sent(long lagNanos) {
        this.lagNanos.recordValue(Math.max(0, lagNanos));
        if (lagNanos > OpenLoop.LATE_NANOS) {
            late++;
        }
    }

    /** A message whose time came while the in-flight cap was reached: the server's delay, not the client's. */
    void heldByCap() {
        capped++;
    }

    void reset() {
        lagNanos.reset();
        capped = 0;
        late = 0;
    }

    /** Adds {@code other}'s counts to these (merging the I/O threads' snapshots). */
    void add(SendStats other) {
        lagNanos.add(other.lagNanos);
        capped += other.capped;
        late += other.late;
    }

    SendStats copy() {
        SendStats c = new SendStats();
        c.add(this);
        return c;
    }

    Histogram lagNanos() {
        return lagNanos;
    }

    long capped() {
        return capped;
    }

    long late() {
        return late;
    }

    /** Sends that went out by the schedule (not held by the cap); 0 in the closed loop, which has no schedule. */
    long scheduled() {
        return lagNanos.getTotalCount();
    }
}

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
    /** A send within this of its intended time is on time: the study's target for the client. */
    static final long ON_TIME_NANOS = 100_000;
    /**
     * The client really fell behind when more than this share of its sends went out later than
     * {@link OpenLoop#LATE_NANOS}: a few late sends are scheduling noise of a shared machine (a
     * preempted thread, a GC pause), a thousandth of them is a client that cannot keep its schedule.
     */
    static final double BEHIND_SHARE = 0.001;

    private final LagCauses causes = new LagCauses();
    private long capped;
    private long late;
    private long onTime;
    private long early;

    /** A send the cap let go at once at {@code nowNanos}, due at {@code intendedNanos}. */
    void sent(long intendedNanos, long nowNanos) {
        long lagNanos = nowNanos - intendedNanos;
        // Never expected: a send before its time would be the schedule's bug, and the proof that there is none.
        early += lagNanos >>> 63;
        causes.sent(intendedNanos, nowNanos);
        // At least 1 ns: a send exactly on time is rare, and HdrHistogram's minimum update tests for 0
        // with a branch of its own, which the first such send took as a trap in the window
        // (jdk.Deoptimization in AbstractHistogram::updateMinAndMax, on the I/O thread).
        long lag = Math.max(1, lagNanos);
        this.lagNanos.recordValue(lag);
        // Counted without a branch: a late send is rare, and the first one, compiled as a trap,
        // would throw the compiled send path away just when the client is already behind.
        late += (OpenLoop.LATE_NANOS - lag) >>> 63;
        onTime += (lag - ON_TIME_NANOS - 1) >>> 63;
    }

    /** A message whose time came while the in-flight cap was reached: the server's delay, not the client's. */
    void heldByCap() {
        capped++;
    }

    void reset() {
        lagNanos.reset();
        causes.reset();
        early = 0;
        capped = 0;
        late = 0;
        onTime = 0;
    }

    /** Adds {@code other}'s counts to these (merging the I/O threads' snapshots). */
    void add(SendStats other) {
        lagNanos.add(other.lagNanos);
        capped += other.capped;
        late += other.late;
        onTime += other.onTime;
        early += other.early;
        causes.add(other.causes);
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

    /** Sends that left before their intended time: always 0 unless the schedule is broken. */
    long early() {
        return early;
    }

    /** Why the sends over {@link #ON_TIME_NANOS} late were late; the I/O thread's own, to trace its waits into. */
    LagCauses causes() {
        return causes;
    }

    /** Percent of the sends the cap let go that left within {@link #ON_TIME_NANOS} of their intended time; NaN with none. */
    double onTimePercent() {
        long n = scheduled();
        return n == 0 ? Double.NaN : 100.0 * onTime / n;
    }

    /** Whether the client really fell behind its schedule: more than {@link #BEHIND_SHARE} of its sends late. */
    boolean fellBehind() {
        return late > BEHIND_SHARE * scheduled();
    }

    /** Sends that went out by the schedule (not held by the cap); 0 in the closed loop, which has no schedule. */
    long scheduled() {
        return lagNanos.getTotalCount();
    }
}

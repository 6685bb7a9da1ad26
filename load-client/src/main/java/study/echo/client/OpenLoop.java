package study.echo.client;

import java.util.List;

/**
 * Open loop at a constant total mean rate, on the schedule of an {@link Arrivals} pattern. With the
 * default, even, message {@code n} of connection {@code c} (of {@code N}) is due at
 * {@code start + (c + n * N) / rate}: the connections take turns, so the whole client sends evenly
 * spaced messages and each connection sends one every {@code N / rate} seconds.
 *
 * <p>Latency counts from that intended time, as wrk2 does, so a server stall shows in full. A
 * message whose time comes while {@code maxInFlight} are outstanding on its connection waits for an
 * echo (a capped send). A message sent late although the cap allowed it is the client's own fault
 * (a late send): the client fell behind its schedule. Warm-up sends take the same path and are
 * counted the same way; the counts start again when the measured window opens ({@link SendStats#reset}).
 *
 * <p>The I/O thread walks a cursor over its own connections in schedule order, so each pass costs
 * only the messages that are due, not a scan of every connection.
 */
final class OpenLoop implements SendPolicy {
    /** A send this much after its time, with the cap not reached, counts as late: the client fell behind. */
    static final long LATE_NANOS = 1_000_000;

    private final Arrivals arrivals;
    /** Messages a connection sends back to back at one tick (1 unless the pattern is bursts). */
    private final int burst;
    /** In-flight limit per connection; {@link Integer#MAX_VALUE} when unbounded. */
    private final int cap;
    private final SendStats stats = new SendStats();
    private Connection[] connections = new Connection[0];
    private RunClock clock;
    private long round;
    private int index;
    /** Which message of the current connection's burst is next, 0 to {@code burst - 1}. */
    private int inBurst;
    private long nextDueNanos = Long.MAX_VALUE;

    /**
     * Evenly spaced sends.
     *
     * @param ratePerSecond    total messages per second over all connections of all threads, at least 1
     * @param totalConnections connections of the whole client
     * @param maxInFlight      per connection, 0 for unbounded
     */
    OpenLoop(long ratePerSecond, int totalConnections, int maxInFlight) {
        this(new Arrivals.Even(1e9 / ratePerSecond, totalConnections), maxInFlight);
    }

    /** @param arrivals the whole client's schedule, shared by its I/O threads (it is only read) */
    OpenLoop(Arrivals arrivals, int maxInFlight) {
        this.arrivals = arrivals;
        this.burst = arrivals.burst();
        this.cap = maxInFlight == 0 ? Integer.MAX_VALUE : maxInFlight;
    }

    /** When message {@code seq} of connection {@code connectionId} is due. */
    long intendedNanos(int connectionId, long seq) {
        return clock.startNanos() + arrivals.offsetNanos(connectionId, seq);
    }

    @Override
    public void begin(List<Connection> mine, RunClock clock, long nowNanos) {
        this.clock = clock;
        this.connections = mine.toArray(new Connection[0]);
        round = 0;
        index = 0;
        inBurst = 0;
        nextDueNanos = connections.length == 0 ? Long.MAX_VALUE : intendedNanos(connections[0].id, 0);
    }

    @Override
    public int releaseDue(long nowNanos) {
        int released = 0;
        while (nextDueNanos - nowNanos <= 0) {
            Connection c = connections[index];
            boolean lastOfBurst = ++inBurst == burst;
            release(c, nextDueNanos, nowNanos, lastOfBurst);
            released++;
            if (lastOfBurst) {
                inBurst = 0;
                if (++index == connections.length) {
                    index = 0;
                    round++;
                }
            }
            nextDueNanos = intendedNanos(connections[index].id, round * burst + inBurst);
        }
        return released;
    }

    /** @param lastOfBurst whether this is the last message of its connection's tick: the burst goes out in one write */
    private void release(Connection c, long intendedNanos, long nowNanos, boolean lastOfBurst) {
        if (!c.isOpen()) {
            return;
        }
        if (c.backlog > 0 || c.inFlight() >= cap) {
            c.backlog++;
            stats.heldByCap();
            if (lastOfBurst && burst > 1) {
                // Messages of the burst the cap let go before this one are waiting to be written.
                c.flush();
            }
            return;
        }
        stats.sent(intendedNanos, nowNanos);
        if (lastOfBurst) {
            c.send(intendedNanos, nowNanos);
        } else {
            c.enqueue(intendedNanos, nowNanos);
        }
    }

    @Override
    public void onEchoed(Connection c, int completed, long nowNanos) {
        // Messages held by the cap go out now; their latency still counts from their own time.
        if (c.backlog == 0 || !c.isOpen()) {
            return;
        }
        while (c.backlog > 0 && c.inFlight() < cap) {
            c.backlog--;
            c.enqueue(intendedNanos(c.id, c.nextSeq()), nowNanos);
        }
        c.flush();
    }

    @Override
    public long nextDueNanos() {
        return nextDueNanos;
    }

    @Override
    public void end() {
        nextDueNanos = Long.MAX_VALUE;
    }

    /** A capped or late send goes out after its intended time. */
    @Override
    public boolean sendsOnTime() {
        return false;
    }

    @Override
    public SendStats stats() {
        return stats;
    }

    /** Besides those in flight, the messages held by the cap: due, never sent, so waiting since their intended time. */
    @Override
    public void unansweredAt(Connection c, long endNanos, Unanswered into) {
        c.unansweredAt(endNanos, into);
        if (!c.isOpen()) {
            return;
        }
        long seq = c.nextSeq();
        for (int j = 0; j < c.backlog; j++) {
            long intended = intendedNanos(c.id, seq + j);
            if (endNanos - intended > 0) {
                into.add(endNanos - intended, -1);
            }
        }
    }
}

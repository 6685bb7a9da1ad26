package study.echo.client;

import java.util.List;

/**
 * Closed loop: every connection keeps {@code pipeline} messages in flight and sends the next one as
 * soon as an echo completes. It measures throughput at saturation; intended and actual send time
 * are the same, so latency and service time are too.
 */
final class ClosedLoop implements SendPolicy {
    private final int pipeline;
    private final SendStats stats = new SendStats();
    private long endNanos;

    ClosedLoop(int pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void begin(List<Connection> connections, RunClock clock, long nowNanos) {
        endNanos = clock.endNanos();
        for (Connection c : connections) {
            if (!c.isOpen()) {
                continue;
            }
            for (int i = 0; i < pipeline; i++) {
                c.enqueue(nowNanos, nowNanos);
            }
            c.flush();
        }
    }

    @Override
    public void onEchoed(Connection connection, int completed, long nowNanos) {
        if (nowNanos - endNanos >= 0) {
            return;
        }
        if (!connection.isOpen()) {
            return;
        }
        for (int i = 0; i < completed; i++) {
            connection.enqueue(nowNanos, nowNanos);
        }
        connection.flush();
    }

    @Override
    public int releaseDue(long nowNanos) {
        return 0;
    }

    @Override
    public long nextDueNanos() {
        return Long.MAX_VALUE;
    }

    /** Each send follows an echo at once: intended and actual send time are the same instant. */
    @Override
    public boolean sendsOnTime() {
        return true;
    }

    @Override
    public SendStats stats() {
        return stats;
    }
}

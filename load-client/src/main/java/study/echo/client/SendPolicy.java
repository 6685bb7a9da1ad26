package study.echo.client;

import java.util.List;

/** When an I/O thread sends: the closed loop ({@link ClosedLoop}) or the open loop ({@link OpenLoop}). */
interface SendPolicy {

    /** The run starts: {@code connections} are this thread's, sorted by id. */
    void begin(List<Connection> connections, RunClock clock, long nowNanos);

    /** {@code completed} echoes just finished on {@code connection}. */
    void onEchoed(Connection connection, int completed, long nowNanos);

    /**
     * Sends whatever the schedule says is due by {@code nowNanos}.
     *
     * @return messages released
     */
    int releaseDue(long nowNanos);

    /**
     * The measured window has closed: nothing more is due. Called once, off the hot path, so that the
     * send path needs no test of its own for the schedule's end.
     */
    default void end() {}

    /** When {@link #releaseDue} next has work, or {@link Long#MAX_VALUE} for never. */
    long nextDueNanos();

    /** Whether every message is sent at its intended time, so that its service time is its latency. */
    boolean sendsOnTime();

    /** How the sends kept to the schedule; stays empty in the closed loop, which has none. I/O thread only. */
    SendStats stats();

    /** At the measured window's end: notes {@code connection}'s messages that are still unanswered. */
    default void unansweredAt(Connection connection, long endNanos, Unanswered into) {
        connection.unansweredAt(endNanos, into);
    }
}

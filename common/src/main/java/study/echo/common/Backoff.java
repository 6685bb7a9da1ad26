package study.echo.common;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A pause after a failure that may repeat at once (accept with no file descriptor left, a loop pass that
 * throws), so that retrying cannot spin a core: the pause doubles while the failures go on, up to a cap,
 * and starts again from the shortest after a success. One instance per thread; not thread-safe.
 */
public final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private long currentNanos;
    private int failuresInARow;

    public Backoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
    }

    /**
     * Counts one more failure in a row and sleeps for the next pause. An interrupt ends the pause early
     * and stays set, for the caller to see.
     */
    public void pause() {
        currentNanos = failuresInARow == 0 ? minNanos : Math.min(currentNanos * 2, maxNanos);
        failuresInARow++;
        try {
            TimeUnit.NANOSECONDS.sleep(currentNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A success: the next failure pauses for the shortest time again. */
    public void reset() {
        failuresInARow = 0;
    }

    /** Failures since the last {@link #reset}. */
    public int failuresInARow() {
        return failuresInARow;
    }
}

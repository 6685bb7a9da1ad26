package study.echo.common.work;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Finds how many {@link CpuHash} iterations take a given time on this machine: the cost per iteration
 * is the fastest of several timed runs after the JIT has compiled the hash, because a slower run is one
 * that was interrupted, not one that did more work.
 */
public final class Calibration {
    private static final int TRIALS = 7;
    private static final long ITERATIONS_PER_TRIAL = 2_000_000;
    private static final int WARM_UP_CALLS = 30;

    private Calibration() {}

    /** @return iterations for {@code cpu}, at least 1 when {@code cpu} is above zero, 0 when it is zero */
    public static long iterationsFor(Duration cpu) {
        if (cpu.isZero()) {
            return 0;
        }
        double nanosPerIteration = nanosPerIteration();
        return Math.max(1, Math.round(cpu.toNanos() / nanosPerIteration));
    }

    /** The cost of one iteration, in nanoseconds, over a 64-byte request. */
    public static double nanosPerIteration() {
        ByteBuffer request = ByteBuffer.allocate(64);
        for (int i = 0; i < request.capacity(); i++) {
            request.put(i, (byte) i);
        }
        long sink = 0;
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            sink += CpuHash.hash(request, 0, 64, ITERATIONS_PER_TRIAL / 10);
        }
        long best = Long.MAX_VALUE;
        for (int t = 0; t < TRIALS; t++) {
            long start = System.nanoTime();
            sink += CpuHash.hash(request, 0, 64, ITERATIONS_PER_TRIAL);
            best = Math.min(best, System.nanoTime() - start);
        }
        // Folding the sink into the answer keeps the JIT from dropping the timed calls.
        return Math.max(best, 1) / (double) ITERATIONS_PER_TRIAL + (sink == 42 ? 1e-12 : 0);
    }
}

package study.echo.common.work;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Finds how many {@link CpuHash} iterations take a given time on this machine: the cost per iteration
 * is the fastest of several timed runs, because a slower run is one that was interrupted, not one that
 * did more work. Runs are taken until the JIT has been quiet for {@value #QUIET_TRIALS} of them with no
 * new fastest: on a starved machine the compiler threads can still be at work after any fixed warm-up,
 * and a calibration taken from the interpreter is some 50 times too slow, which would make
 * {@code --work cpu:100us} do 2 µs.
 */
public final class Calibration {
    /** Trials in a row with no compilation and no new fastest before the fastest is taken. */
    static final int QUIET_TRIALS = 7;
    /** A bound on the whole calibration, reached only on a machine too starved to measure on. */
    static final Duration MAX_TIME = Duration.ofSeconds(10);
    private static final long ITERATIONS_PER_TRIAL = 2_000_000;

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
        long[] sink = {0};
        LongSupplier trial = () -> {
            long start = System.nanoTime();
            sink[0] += CpuHash.hash(request, 0, 64, ITERATIONS_PER_TRIAL);
            return System.nanoTime() - start;
        };
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        LongSupplier compileMillis = jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit::getTotalCompilationTime : () -> 0;
        long best = fastestTrial(trial, compileMillis, System::nanoTime);
        // Folding the sink into the answer keeps the JIT from dropping the timed calls.
        return Math.max(best, 1) / (double) ITERATIONS_PER_TRIAL + (sink[0] == 42 ? 1e-12 : 0);
    }

    /**
     * The fastest of {@code trial}'s runs, taken once {@link #QUIET_TRIALS} runs in a row brought neither a
     * new fastest nor any compilation ({@code compileMillis}, the JVM's total compilation time, unchanged),
     * or once {@link #MAX_TIME} has passed on {@code clockNanos}.
     */
    static long fastestTrial(LongSupplier trial, LongSupplier compileMillis, LongSupplier clockNanos) {
        long deadline = clockNanos.getAsLong() + MAX_TIME.toNanos();
        long best = Long.MAX_VALUE;
        long compiled = compileMillis.getAsLong();
        int quiet = 0;
        while (quiet < QUIET_TRIALS && clockNanos.getAsLong() - deadline < 0) {
            long nanos = trial.getAsLong();
            long nowCompiled = compileMillis.getAsLong();
            boolean changed = nanos < best || nowCompiled != compiled;
            best = Math.min(best, nanos);
            compiled = nowCompiled;
            quiet = changed ? 0 : quiet + 1;
        }
        return best;
    }
}

package study.echo.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The calibration's rule, on scripted trials and clocks; how long the work takes is CpuHashBenchmark's. */
class CalibrationTest {
    /**
     * A starved machine: the first 20 trials run in the interpreter (140 ms each) while the JIT's total
     * compilation time still grows, then compiled ones take 2.6 ms. The fastest must be a compiled trial;
     * seven fixed trials after a fixed warm-up (the rule before) took the interpreter's 140 ms, which made
     * cpu:100us 1,420 iterations, some 2 µs of work.
     */
    @Test
    void trialsGoOnWhileTheJitIsStillCompiling() {
        int[] n = {0};
        LongSupplier trial = () -> n[0]++ < 20 ? 140_000_000L : 2_600_000L + (n[0] % 3) * 10_000;
        LongSupplier compileMillis = () -> Math.min(n[0], 21) * 5L;
        long best = Calibration.fastestTrial(trial, compileMillis, () -> 0);
        assertEquals(2_600_000L, best);
        assertTrue(n[0] >= 21 + Calibration.QUIET_TRIALS, "trials taken: " + n[0]);
    }

    @Test
    void aQuietJitAndNoNewFastestEndItAfterTheQuietTrials() {
        int[] n = {0};
        long best = Calibration.fastestTrial(() -> n[0]++ == 0 ? 3_000_000L : 3_100_000L, () -> 7, () -> 0);
        assertEquals(3_000_000L, best);
        assertEquals(1 + Calibration.QUIET_TRIALS, n[0]);
    }

    @Test
    void aMachineTooStarvedToSettleEndsAtTheTimeBound() {
        long[] clock = {0};
        int[] n = {0};
        // Every trial compiles something and takes a second: only the bound ends it.
        long best = Calibration.fastestTrial(() -> { n[0]++; clock[0] += 1_000_000_000L; return 5_000_000L; },
                () -> n[0], () -> clock[0]);
        assertEquals(5_000_000L, best);
        assertEquals(Calibration.MAX_TIME.toSeconds(), n[0]);
    }

    @Test
    void noCpuWorkIsNoIterations() {
        assertEquals(0, Calibration.iterationsFor(Duration.ZERO));
        assertTrue(Calibration.iterationsFor(Duration.ofNanos(1000)) >= 1);
    }
}

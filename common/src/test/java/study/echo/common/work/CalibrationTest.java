package study.echo.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A sanity bound, not a timing target: loose enough for a busy 2-core machine, tight enough to catch a wrong unit. */
class CalibrationTest {
    @Test
    void hundredMicrosOfWorkTakesAboutAHundredMicros() {
        long iterations = Calibration.iterationsFor(Duration.ofNanos(100_000));
        ByteBuffer request = ByteBuffer.allocateDirect(64);
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int i = 0; i < 200; i++) {
            long start = System.nanoTime();
            sink += CpuHash.hash(request, 0, 64, iterations);
            best = Math.min(best, System.nanoTime() - start);
        }
        assertTrue(best >= 50_000 && best <= 200_000, "cpu:100us = " + iterations + " iterations took " + best
                + " ns at best (sink " + sink + ")");
    }

    @Test
    void noCpuWorkIsNoIterations() {
        assertEquals(0, Calibration.iterationsFor(Duration.ZERO));
        assertTrue(Calibration.iterationsFor(Duration.ofNanos(1000)) >= 1);
    }
}

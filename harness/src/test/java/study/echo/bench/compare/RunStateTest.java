package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.plan.CompareConfig;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Summary;
import study.echo.launch.Variant;

/** The loop's side and the shutdown hook's side of a run, which must never both write. */
class RunStateTest {
    @TempDir
    Path tmp;

    private PointResult row(String status) {
        CompareConfig c = new CompareConfig("quick", Duration.ZERO, Duration.ofSeconds(1), 1, Variant.standard(1).subList(0, 1),
                List.of(1), List.of(64), List.of(1), List.of(64), List.of(), 0, 5000, 100, 1, tmp, false, false, List.of());
        PointResult failed = PointResult.failed(Plan.of(c).get(0).id(), c.times(), "a test point");
        if (status.equals("failed")) return failed;
        return new PointResult(failed.id(), failed.times(), PointResult.Status.OK, "", null, null, null, null, null, null, null);
    }

    @Test
    @Timeout(60)
    void aStopEndsAFailedPointsWaitAtOnceAndThatPointIsNotRecorded() throws Exception {
        try (Summary summary = Summary.open(tmp)) {
            // A wait far longer than the test may take: only the stop can end it in time.
            Comparison.RunState state = new Comparison.RunState(summary, 0, Duration.ofMinutes(5));
            assertTrue(state.record(row("ok")));
            CompletableFuture<Boolean> failed = new CompletableFuture<>();
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    failed.complete(state.recordFailure(row("failed")));
                } catch (Exception e) {
                    failed.completeExceptionally(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (loop.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(Thread.State.TIMED_WAITING, loop.getState(), "the failed point waits for a stop");

            assertEquals(1, state.stop(), "the hook reports the rows written");
            assertFalse(failed.get(30, TimeUnit.SECONDS), "a point failed by the stop is left for --resume");
            assertFalse(state.record(row("ok")), "nothing is written after the stop");
            assertEquals(1, state.finished());
        }
        assertEquals(2, Files.readAllLines(tmp.resolve(Summary.FILE)).size(), "header and the one row before the stop");
    }

    @Test
    void withoutAStopAFailedPointIsRecordedAfterTheWaitAndCounted() throws Exception {
        Summary summary = Summary.open(tmp);
        Comparison.RunState resumed = new Comparison.RunState(summary, 3, Duration.ofMillis(50));
        boolean recorded = resumed.recordFailure(row("failed"));
        summary.close();
        assertTrue(recorded, "an ordinary failure is recorded");
        assertEquals(4, resumed.finished(), "three from the earlier session, and this one");
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A run stopped early (Ctrl-C, SIGTERM) still reports what it measured. */
class InterruptTest {

    @Test
    void aStoppedRunReportsTheMeasuredPart() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientConfig config = server.config(2, Duration.ofSeconds(60), Duration.ZERO, 0);
            CountDownLatch measuring = new CountDownLatch(1);
            LoadRun[] run = new LoadRun[1];
            run[0] = new LoadRun(config, new RunListener() {
                @Override
                public void interval(Interval interval) {
                    if (!interval.warmup()) {
                        measuring.countDown();
                    }
                }
            });
            long start = System.nanoTime();
            CompletableFuture<RunResult> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return run[0].run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(measuring.await(20, TimeUnit.SECONDS), "a measured second went by");
            run[0].requestStop();
            RunResult r = result.get(20, TimeUnit.SECONDS);
            assertTrue(r.interrupted());
            assertTrue(r.latency().getTotalCount() > 0);
            assertTrue(r.measuredSeconds() >= 1 && r.measuredSeconds() < 30, () -> "measured " + r.measuredSeconds());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "stopped well before 60 s");
            assertEquals(0, r.counters().integrityErrors());
        }
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The warm-up runs the measured window's code: its echoes are recorded and its sends counted by the
 * same path, and only dropped when the window opens, so nothing the JIT compiled changes then.
 */
class WarmupTest {

    @Test
    void warmupMessagesTakeTheRecordingPathButAreNotInTheResult() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientConfig config = server.config(4, Duration.ofSeconds(1), Duration.ofSeconds(1), 1000);
            List<Interval> intervals = new CopyOnWriteArrayList<>();
            RunResult r = new LoadRun(config, new RunListener() {
                @Override
                public void interval(Interval interval) {
                    intervals.add(interval);
                }
            }).run();
            long warmupMessages = intervals.stream().filter(Interval::warmup).mapToLong(Interval::messages).sum();
            long measuredMessages = intervals.stream().filter(i -> !i.warmup()).mapToLong(Interval::messages).sum();
            assertTrue(warmupMessages > 500, () -> "the warm-up's echoes were recorded: " + warmupMessages);
            assertEquals(measuredMessages, r.messages(), "the result holds the measured intervals only");
            // 1,000 msg/s for 1 s measured: the warm-up's thousand sends were counted, then dropped.
            long sends = r.sends().scheduled() + r.sends().capped();
            assertEquals(1000, sends, 150, () -> "sends of the measured window only: " + sends);
            assertEquals(1000, r.messages(), 150);
        }
    }
}

package study.echo.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmarks are not run by the test suite; this runs one, for one short iteration, so that a
 * broken benchmark (or a server that no longer starts the way it prints it does) is found by
 * {@code ./bench test} and not at the end of a ten-minute JMH run. It asserts nothing about speed.
 */
class BenchmarksSmokeTest {

    @Test
    @Timeout(120)
    void echoRoundTripAgainstTheSelectorServerProducesSamplesAndLeavesNoServerBehind() throws Exception {
        Options options = new OptionsBuilder()
                .include(EchoRoundTripBenchmark.class.getName() + ".roundTrip$")
                .param("server", "selector-1")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(500))
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertEquals(1, results.size(), "one benchmark, one parameter set");
        Result<?> primary = results.iterator().next().getPrimaryResult();
        assertTrue(primary.getSampleCount() > 0, "round trips were sampled");
        assertTrue(primary.getScore() > 0 && Double.isFinite(primary.getScore()), "score " + primary.getScore());
        assertNoChildProcessLeft();
    }

    /** Tear-down must have stopped the server process it started. */
    private static void assertNoChildProcessLeft() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<ProcessHandle> alive = List.of();
        while (System.nanoTime() < deadline) {
            alive = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        assertTrue(alive.isEmpty(), "server processes still running: " + alive);
    }
}

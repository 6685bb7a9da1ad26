package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arrival patterns keep the mean rate; Poisson's gaps and counts match the theory. */
class ArrivalsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int CONNECTIONS = 7;

    @TempDir
    Path dir;

    /** The whole client's intended send offsets below {@code horizon}, in order. */
    private static List<Long> offsets(Arrivals a, long horizonNanos) {
        List<Long> out = new ArrayList<>();
        for (long k = 0; ; k++) {
            long t = a.offsetNanos((int) (k % CONNECTIONS), k / CONNECTIONS);
            if (t >= horizonNanos) {
                return out;
            }
            out.add(t);
        }
    }

    private static Arrivals poisson(long seed) {
        return Arrivals.of(ArrivalPattern.parse("poisson"), 10_000, CONNECTIONS, 10 * SECOND, seed);
    }

    @Test
    void poissonGapsHaveTheExponentialMeanAndVariance() {
        List<Long> t = offsets(poisson(42), 10 * SECOND);
        // 10,000 msg/s for 10 s: 100,000 arrivals, standard deviation 316.
        assertEquals(100_000, t.size(), 1_500);
        double sum = 0;
        double sumSquares = 0;
        for (int i = 1; i < t.size(); i++) {
            long gap = t.get(i) - t.get(i - 1);
            assertTrue(gap >= 0, "in order");
            sum += gap;
            sumSquares += (double) gap * gap;
        }
        int n = t.size() - 1;
        double mean = sum / n;
        double variance = sumSquares / n - mean * mean;
        // An exponential gap of mean 100 us has variance (100 us)^2.
        assertEquals(100_000, mean, 2_000, "mean gap in ns");
        assertEquals(1e10, variance, 0.05e10, "gap variance in ns^2");
    }

    @Test
    void poissonCountsPerIntervalAreAsDispersedAsTheirMean() {
        List<Long> t = offsets(poisson(7), 10 * SECOND);
        long[] counts = new long[100];
        for (long x : t) {
            counts[(int) (x / (SECOND / 10))]++;
        }
        double mean = 0;
        for (long c : counts) {
            mean += c / 100.0;
        }
        double variance = 0;
        for (long c : counts) {
            variance += (c - mean) * (c - mean) / 99.0;
        }
        // A Poisson count has variance equal to its mean (index of dispersion 1); evenly spaced ones, 0.
        assertEquals(1.0, variance / mean, 0.35, () -> "dispersion of 1,000-message counts");
    }

    @Test
    void aSeedDrawsTheSameScheduleAgainAndAnotherSeedAnother() {
        assertEquals(offsets(poisson(1), SECOND), offsets(poisson(1), SECOND));
        assertNotEquals(offsets(poisson(1), SECOND), offsets(poisson(2), SECOND));
    }

    @Test
    void evenAndBurstsKeepTheMeanRate() {
        Arrivals even = Arrivals.of(ArrivalPattern.parse("even"), 1_000, CONNECTIONS, SECOND, 0);
        Arrivals bursts = Arrivals.of(ArrivalPattern.parse("bursts:5"), 1_000, CONNECTIONS, SECOND, 0);
        assertEquals(1_000, offsets(even, SECOND).size());
        assertEquals(1_000, offsets(bursts, SECOND).size(), 2 * 5 * CONNECTIONS);
        // Even: every millisecond one connection, in turn.
        assertEquals(3_000_000, even.offsetNanos(3, 0));
        assertEquals(7_000_000 + 3_000_000, even.offsetNanos(3, 1));
        // Bursts of 5: a connection's messages 0-4 share one time, 5-9 the next, 35 ms later.
        assertEquals(bursts.offsetNanos(2, 0), bursts.offsetNanos(2, 4));
        assertEquals(bursts.offsetNanos(2, 0) + 35_000_000, bursts.offsetNanos(2, 5));
        assertEquals(10_000_000, bursts.offsetNanos(2, 0));
    }

    @Test
    void thePoissonSeedIsPrintedAndRecordedAndTheRateKept() throws Exception {
        Path csv = dir.resolve("poisson.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "10", "--rate", "2000",
                    "--max-in-flight", "0", "--arrivals", "poisson", "--seed", "12345", "--warmup", "500ms",
                    "--duration", "2s", "--quiet", "--csv", csv.toString());
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("poisson arrivals (seed 12345)"), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            assertEquals("poisson", row.get("arrivals"), row::toString);
            assertEquals("12345", row.get("arrivals_seed"), row::toString);
            // 4,000 expected in 2 s; the count's standard deviation is 63.
            assertEquals(2_000, Double.parseDouble(row.get("throughput_msgs_s")), 150, row::toString);
        }
    }

    /**
     * A burst leaves back to back on the wire: without --max-in-flight the cap is the burst's N, so no
     * send of a burst waits for an echo (a cap of 1 held three of every four, "capped", one echo apart).
     */
    @Test
    void aBurstIsNotHeldToOneEchoAtATime() throws Exception {
        Path csv = dir.resolve("bursts.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "10", "--rate", "2000",
                    "--arrivals", "bursts:4", "--warmup", "500ms", "--duration", "2s", "--quiet",
                    "--csv", csv.toString());
            assertEquals(0, run.exitCode(), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            assertEquals("4", row.get("max_in_flight"), row::toString);
            long messages = Long.parseLong(row.get("messages"));
            // Each connection's burst is due every 20 ms and a loopback echo takes well under that.
            assertTrue(Long.parseLong(row.get("capped_sends")) < messages / 100, row::toString);
        }
    }
}

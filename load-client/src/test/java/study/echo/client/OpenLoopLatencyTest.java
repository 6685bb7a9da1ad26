package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open loop against servers whose behaviour is known: what it measures, and from when. */
class OpenLoopLatencyTest {
    @TempDir
    Path dir;

    @Test
    void aServerStallShowsInLatencyButNotInServiceTime() throws Exception {
        Path csv = dir.resolve("summary.csv");
        try (TestEchoServer server = TestEchoServer.stalling(1000, 200)) {
            // Messages already in flight when a stall begins wait it out from their actual send: one per
            // connection per stall. Over 10 connections that was some 30 to 40 of the 60 slowest that
            // make the p99, and a run on a machine at load 11.6 had a service p99 of 62.7 ms. Over 2, at
            // most 8.
            ClientRun run = ClientRun.of("--target", server.target(), "--rate", "2000", "--connections", "2",
                    "--duration", "3s", "--warmup", "0s", "--quiet", "--csv", csv.toString());
            assertEquals(0, run.exitCode(), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            System.out.println(row);
            double p99 = Double.parseDouble(row.get("p99_us"));
            double serviceP99 = Double.parseDouble(row.get("service_p99_us"));
            assertTrue(p99 >= 150_000, () -> "open-loop p99 must show the 200 ms stall: " + row);
            assertTrue(serviceP99 < 50_000, () -> "service-time p99 must not show the stall: " + row);
            assertTrue(Long.parseLong(row.get("capped_sends")) > 0, () -> "sends during the stall wait for the cap: " + row);
        }
    }

    @Test
    void achievedRateIsWithinTwoPercentOfTheTarget() throws Exception {
        Path csv = dir.resolve("summary.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--rate", "10000", "--connections", "10",
                    "--duration", "3s", "--warmup", "1s", "--quiet", "--csv", csv.toString());
            assertEquals(0, run.exitCode(), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            System.out.println(row);
            double achieved = Double.parseDouble(row.get("throughput_msgs_s"));
            assertEquals(10_000, achieved, 200, () -> "achieved rate: " + row);
            assertEquals("10000", row.get("target_rate_msgs_s"));
            assertEquals("open", row.get("mode"));
        }
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that answers for about a second and then only reads: the messages it leaves unanswered
 * must show in the latency figures, be counted, be blamed on the server, and fail the run.
 */
class SilentServerTest {
    @TempDir
    Path dir;

    /** Runs 4 connections for 4 s against {@code server}; checks exit 4 and the warning; returns the CSV row. */
    private Map<String, String> silentRun(TestEchoServer server, String... mode) throws Exception {
        Path csv = dir.resolve("silent.csv");
        List<String> args = new ArrayList<>(List.of("--target", server.target(), "--connections", "4", "--size", "64",
                "--warmup", "0s", "--duration", "4s", "--quiet", "--csv", csv.toString()));
        args.addAll(List.of(mode));
        ClientRun run = ClientRun.of(args.toArray(String[]::new));
        assertEquals(ClientCommand.EXIT_SERVER_SILENT, run.exitCode(), run::toString);
        String warning = "the server at " + server.target() + " stopped answering";
        assertTrue(run.out().contains("WARNING: " + warning), run::toString);
        assertTrue(run.err().contains(warning), run::toString);
        Map<String, String> row = ClientRun.lastCsvRow(csv);
        assertTrue(Double.parseDouble(row.get("p99_us")) >= 2_000_000, () -> "p99 shows the silence: " + row);
        return row;
    }

    @Test
    void closedLoopShowsTheSilenceInP99AndExitsFour() throws Exception {
        // Each echo 20 ms late, so that the one message in flight per connection at the end is more than
        // 1% of those answered and shows at p99, not only at max: 4 connections x ~50 answers in 1 s.
        try (TestEchoServer server = TestEchoServer.answeringFor(1000, 20)) {
            Map<String, String> row = silentRun(server, "--pipeline", "1");
            assertEquals("4", row.get("unanswered"), row::toString);
            assertTrue(Double.parseDouble(row.get("max_us")) >= 2_500_000, row::toString);
            assertTrue(Long.parseLong(row.get("messages")) > 0, row::toString);
        }
    }

    @Test
    void openLoopShowsTheSilenceAsCappedNotLateSendsAndExitsFour() throws Exception {
        try (TestEchoServer server = TestEchoServer.answeringFor(1000, 0)) {
            Map<String, String> row = silentRun(server, "--rate", "400");
            long unanswered = Long.parseLong(row.get("unanswered"));
            long messages = Long.parseLong(row.get("messages"));
            // Every message due in the 4 s was answered, or left unanswered (in flight, or held by the cap).
            assertEquals(1600, messages + unanswered, 80, row::toString);
            assertTrue(unanswered > 600 && messages > 50, row::toString);
            // Every message due in the silence was held back by the cap (the server's doing), none sent late (the
            // client's); a busy machine may still make a few sends of the answered second late.
            long capped = Long.parseLong(row.get("capped_sends"));
            assertTrue(capped >= unanswered - 4, () -> "the messages left at the end were held by the cap: " + row);
            assertTrue(Long.parseLong(row.get("late_sends")) < capped / 10, () -> "held sends are not late: " + row);
        }
    }

    @Test
    void aHealthyRunLeavesNothingUnanswered() throws Exception {
        Path csv = dir.resolve("ok.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "50", "--pipeline", "4",
                    "--warmup", "0s", "--duration", "1s", "--quiet", "--csv", csv.toString());
            assertEquals(0, run.exitCode(), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            // 200 messages are in flight at the end, each younger than the slowest answered one.
            assertTrue(Long.parseLong(row.get("unanswered")) < 20, row::toString);
            assertFalse(run.out().contains("stopped answering"), run::toString);
        }
    }
}

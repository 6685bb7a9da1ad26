package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --hold-idle N}: exactly N idle connections beside the active ones, and a lost one fails the run loudly. */
class HoldIdleTest {
    private static final int ACTIVE = 3;
    private static final int IDLE = 25;

    @TempDir
    Path dir;

    private String[] args(TestEchoServer server, Path csv) {
        return new String[] {"--target", server.target(), "--connections", Integer.toString(ACTIVE),
                "--hold-idle", Integer.toString(IDLE), "--size", "64", "--warmup", "0s", "--duration", "2s",
                "--pipeline", "1", "--client-threads", "1", "--quiet", "--csv", csv.toString()};
    }

    @Test
    void holdsExactlyTheIdleConnectionsBesideTheActiveOnes() throws Exception {
        Path csv = dir.resolve("held.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of(args(server, csv));
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals(ACTIVE + IDLE, server.accepted(), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            assertEquals(Integer.toString(IDLE), row.get("idle_held_connections"), row::toString);
            assertEquals("0", row.get("idle_lost_connections"), row::toString);
            assertTrue(Long.parseLong(row.get("messages")) > 0, row::toString);
            assertTrue(run.out().contains("25 connections held besides the active ones"), run::toString);
        }
    }

    @Test
    void anIdleConnectionClosedByTheServerMidRunFailsTheRunWithExitFive() throws Exception {
        Path csv = dir.resolve("lost.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            // The idle ones are opened first, so the server's first connection is an idle one: close it
            // once every connection is open, while the active ones are being measured.
            Thread closer = Thread.ofPlatform().daemon().start(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                try {
                    while (server.accepted() < ACTIVE + IDLE && System.nanoTime() - deadline < 0) Thread.sleep(10);
                    Thread.sleep(300);
                    server.closeConnection(0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ClientRun run = ClientRun.of(args(server, csv));
            closer.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(ClientCommand.EXIT_IDLE_LOST, run.exitCode(), run::toString);
            assertTrue(run.err().contains("1 of " + IDLE + " idle connections (--hold-idle) were lost"), run::toString);
            assertEquals("1", ClientRun.lastCsvRow(csv).get("idle_lost_connections"));
        }
    }

    @Test
    void tooManyIsABadOption() {
        ClientRun run = ClientRun.of("--connections", "10", "--hold-idle", "-1", "--duration", "1s");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--hold-idle must be between 0 and"), run::toString);
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every echoed byte is checked, and each kind of failure is told apart and fails the run. */
class IntegrityTest {
    @TempDir
    Path dir;

    /** A clean run: exit 0, no error of any kind, and echoes completed. */
    private Map<String, String> cleanRunAgainst(TestEchoServer server, String... options) throws Exception {
        Path csv = dir.resolve("clean.csv");
        String[] base = {"--target", server.target(), "--duration", "1s", "--warmup", "0s", "--quiet",
            "--csv", csv.toString()};
        String[] args = new String[base.length + options.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(options, 0, args, base.length, options.length);
        ClientRun run = ClientRun.of(args);
        assertEquals(0, run.exitCode(), run::toString);
        Map<String, String> row = ClientRun.lastCsvRow(csv);
        assertEquals("0", row.get("errors"), row::toString);
        assertTrue(Long.parseLong(row.get("messages")) > 0, row::toString);
        return row;
    }

    @Test
    void echoesSplitInsideMessagesAndHeadersAreCheckedWithoutFalseErrors() throws Exception {
        // 7-byte segments end reads inside the 20-byte header, inside the payload and across messages.
        try (TestEchoServer server = TestEchoServer.echoingInChunksOf(7)) {
            cleanRunAgainst(server, "--connections", "3", "--size", "64", "--pipeline", "3");
        }
    }

    @Test
    void messagesLargerThanTheClientBuffersAreWrittenAndCheckedWhole() throws Exception {
        // 200,000 B is more than the client's 64 KiB write and read buffers: every message takes several
        // writes and reads, and the kernel takes a part of a write at times.
        try (TestEchoServer server = TestEchoServer.echo()) {
            cleanRunAgainst(server, "--connections", "2", "--size", "200000", "--pipeline", "2");
        }
    }

    private Map<String, String> runAgainst(TestEchoServer server, String... extra) throws Exception {
        Path csv = dir.resolve("summary.csv");
        String[] base = {"--target", server.target(), "--connections", "4", "--size", "64", "--duration", "500ms",
            "--warmup", "0s", "--quiet", "--csv", csv.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        ClientRun run = ClientRun.of(args);
        assertEquals(ClientCommand.EXIT_INTEGRITY, run.exitCode(), run::toString);
        assertTrue(run.err().contains("integrity failure"), run::toString);
        return ClientRun.lastCsvRow(csv);
    }

    @Test
    void oneChangedByteFailsTheRun() throws Exception {
        try (TestEchoServer server = TestEchoServer.flippingOneByte(1000)) {
            Map<String, String> row = runAgainst(server);
            assertEquals("1", row.get("mismatches"), row::toString);
            assertEquals("0", row.get("short_echoes"), row::toString);
            assertEquals("0", row.get("early_closes"), row::toString);
        }
    }

    @Test
    void oneChangedByteFailsAnOpenLoopRunToo() throws Exception {
        try (TestEchoServer server = TestEchoServer.flippingOneByte(5)) {
            Map<String, String> row = runAgainst(server, "--rate", "1000");
            assertEquals("1", row.get("mismatches"), row::toString);
        }
    }

    @Test
    void aServerThatClosesEarlyIsReportedAsSuch() throws Exception {
        try (TestEchoServer server = TestEchoServer.closingAfter(64 * 10)) {
            Map<String, String> row = runAgainst(server);
            assertEquals("4", row.get("early_closes"), row::toString);
            assertEquals("0", row.get("short_echoes"), row::toString);
            assertEquals("0", row.get("mismatches"), row::toString);
        }
    }

    @Test
    void everyConnectionLostInTheRampStopsAtOnceWithExitThree() throws Exception {
        // The server closes every connection as soon as it opens. 40 connections at 4 a second would
        // take 10 s to open; the client gives up once the first ten have all been lost.
        try (TestEchoServer server = TestEchoServer.closingAfter(0)) {
            assertStopsAtOnce(server, "connection ramp", 8, "--connections", "40", "--connect-rate", "4");
        }
    }

    @Test
    void everyConnectionLostInTheWarmupStopsAtOnceWithExitThree() throws Exception {
        // Each connection is closed after ten echoes: in the first moments of a 20 s warm-up.
        try (TestEchoServer server = TestEchoServer.closingAfter(64 * 10)) {
            assertStopsAtOnce(server, "warm-up", 12, "--connections", "4");
        }
    }

    private static void assertStopsAtOnce(TestEchoServer server, String phase, long withinSeconds, String... options) {
        String[] base = {"--target", server.target(), "--warmup", "20s", "--duration", "5s", "--quiet"};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(options))
                .toArray(String[]::new);
        long start = System.nanoTime();
        ClientRun run = ClientRun.of(args);
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(ClientCommand.EXIT_INTEGRITY, run.exitCode(), run::toString);
        assertTrue(seconds < withinSeconds, () -> "stopped at once: " + seconds + " s; " + run);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().contains("every connection to " + server.target() + " was lost during the " + phase),
                run::toString);
        assertTrue(run.err().contains("early closes"), run::toString);
        assertTrue(run.out().isEmpty(), run::toString);
    }

    @Test
    void anEchoCutShortIsReportedAsSuch() throws Exception {
        try (TestEchoServer server = TestEchoServer.closingAfter(64 * 10 + 30)) {
            Map<String, String> row = runAgainst(server, "--pipeline", "2");
            assertEquals("4", row.get("short_echoes"), row::toString);
            assertEquals("0", row.get("early_closes"), row::toString);
            assertEquals("0", row.get("mismatches"), row::toString);
        }
    }
}

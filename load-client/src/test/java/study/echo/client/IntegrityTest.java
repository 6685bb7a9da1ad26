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
    void anEchoCutShortIsReportedAsSuch() throws Exception {
        try (TestEchoServer server = TestEchoServer.closingAfter(64 * 10 + 30)) {
            Map<String, String> row = runAgainst(server, "--pipeline", "2");
            assertEquals("4", row.get("short_echoes"), row::toString);
            assertEquals("0", row.get("early_closes"), row::toString);
            assertEquals("0", row.get("mismatches"), row::toString);
        }
    }
}

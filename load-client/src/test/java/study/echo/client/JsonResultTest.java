package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json}: the typed result that ./bench compare reads, the same figures as the CSV row. */
class JsonResultTest {
    @TempDir
    Path dir;

    @Test
    void jsonHoldsTheSameFiguresAsTheCsvRow() throws Exception {
        Path csv = dir.resolve("s.csv");
        Path json = dir.resolve("s.json");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "2", "--duration", "1s",
                    "--warmup", "0s", "--quiet", "--rate", "200", "--csv", csv.toString(), "--json", json.toString());
            assertEquals(0, run.exitCode(), run::toString);
        }
        Map<String, String> row = ClientRun.lastCsvRow(csv);
        ClientResult r = ClientResult.read(json);
        assertEquals("open", r.mode());
        assertEquals(2, r.connections());
        assertEquals(200, r.targetRateMsgsPerS());
        assertTrue(r.messages() > 0, r::toString);
        assertEquals(Long.parseLong(row.get("messages")), r.messages());
        assertEquals(Double.parseDouble(row.get("p99_us")), r.p99Micros(), 0.05);
        assertEquals(Double.parseDouble(row.get("throughput_msgs_s")), r.throughputMsgsPerS(), 0.05);
        assertEquals(Long.parseLong(row.get("late_sends")), r.lateSends());
        assertEquals(Double.parseDouble(row.get("client_cpu_percent")), r.clientCpuPercent(), 0.05);
        assertFalse(r.interrupted());
        assertTrue(Files.readString(json).contains("\"sends_within_100us_percent\""), "the name the README gives");
        // The CSV keeps three decimals, so it is off by up to half of 0.001: 54.6875 is written 54.688, and a
        // tolerance of exactly 0.0005 failed on that value by a floating-point hair.
        assertEquals(Double.parseDouble(row.get("sends_within_100us_percent")), r.sendsWithin100usPercent(), 0.0005 + 1e-9);
        assertFalse(Files.exists(dir.resolve("s.json.tmp")), "the temporary file is renamed, not left");
    }

    @Test
    void aJsonFileInAMissingFolderIsRefusedBeforeTheRun() throws Exception {
        ClientRun run = ClientRun.of("--target", "127.0.0.1:1", "--connections", "1", "--duration", "1s",
                "--json", dir.resolve("no/such/folder/s.json").toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot write --json") && run.err().contains("not a writable folder"), run::toString);
        assertEquals(1, run.err().strip().lines().count(), run::toString);
    }

    @Test
    void aFileMissingAFieldIsRefusedOnRead() throws Exception {
        Path json = dir.resolve("old.json");
        Files.writeString(json, "{\"mode\": \"closed\", \"connections\": 1}");
        try {
            ClientResult.read(json);
            throw new AssertionError("read a result without its figures");
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException expected) {
            assertTrue(expected.getMessage().contains("Missing"), expected.getMessage());
        }
    }
}

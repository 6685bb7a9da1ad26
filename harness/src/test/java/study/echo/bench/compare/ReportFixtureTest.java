package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench report} on a committed run folder (a real 2-repetition run of a small matrix, with a
 * variant that fails to start) reproduces the committed Markdown, table for table, from its folders
 * or from its archive.
 */
class ReportFixtureTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void reportRegeneratesTheSameTablesAndTheCharts() throws Exception {
        Path run = fixtureCopy();
        assertTheCommittedReport(run);
        for (String chart : List.of("throughput_vs_connections_64B", "cpu_per_message_64B", "latency_spectrum_c1_64B",
                "latency_vs_load_c1_64B", "memory_per_connection")) {
            assertTrue(Files.size(run.resolve("charts").resolve(chart + ".png")) > 1000, chart);
            assertTrue(Files.size(run.resolve("charts").resolve(chart + ".svg")) > 1000, chart);
        }
    }

    @Test
    @Timeout(120)
    void anArchivedRunGivesTheSameReport() throws Exception {
        Path run = fixtureCopy();
        BenchProcess.Result a = BenchProcess.run(tmp, Duration.ofSeconds(60), "archive", run.toString());
        assertEquals(0, a.exitCode(), a.stderr());
        assertTrue(a.stdout().startsWith("archive: 8 files into "), a.stdout());
        assertFalse(Files.exists(run.resolve("points")));
        assertTheCommittedReport(run);
    }

    private Path fixtureCopy() throws Exception {
        Path run = tmp.resolve("run");
        CompareEndToEndTest.copyTree(Path.of("src/test/resources/compare-fixture"), run);
        return run;
    }

    private void assertTheCommittedReport(Path run) throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(100), "report", run.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        String expected = Files.readString(Path.of("src/test/resources/compare-fixture-report.md"), StandardCharsets.UTF_8);
        assertEquals(expected, Files.readString(run.resolve("report.md"), StandardCharsets.UTF_8));
    }

    @Test
    void reportOnAFolderWithoutASummaryIsOneLineAndExit1() throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "report", tmp.toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("no summary.csv"), r.stderr());
    }
}

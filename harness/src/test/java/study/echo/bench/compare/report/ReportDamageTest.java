package study.echo.bench.compare.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.BenchProcess;
import study.echo.bench.compare.CompareEndToEndTest;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Rows;
import study.echo.bench.compare.results.RunFiles;
import study.echo.bench.compare.results.Summary;
import study.echo.common.UserException;

/** The report on damaged or unusual run folders: it says what is wrong, never shows a wrong number silently. */
class ReportDamageTest {
    @TempDir
    Path tmp;

    private static final Path FIXTURE = Path.of("src/test/resources/compare-fixture");

    private Path fixtureCopy() throws IOException {
        Path run = tmp.resolve("run");
        CompareEndToEndTest.copyTree(FIXTURE, run);
        return run;
    }

    private Path runOf(List<PointResult> rows) throws IOException {
        Path run = Files.createDirectories(tmp.resolve("synthetic"));
        try (Summary s = Summary.open(run)) {
            for (PointResult r : rows) s.append(r);
        }
        return run;
    }

    @Test
    void sustainableSaysAtLeastWhenEveryRateAbove127Meets() throws Exception {
        List<PointResult> rows = new ArrayList<>();
        for (int rate : List.of(1000, 2000)) rows.add(Rows.open("selector-1", rate, 1, rate, 100, 5000));
        for (int rate : List.of(1000, 2000)) rows.add(Rows.open("loom-virtual", rate, 1, rate, rate == 1000 ? 100 : 9000, 5000));
        String md = new Report(runOf(rows)).markdown(List.of());
        assertTrue(md.contains("| **sustainable** | ≥ 2,000 | 1,000 |"), md);
    }

    @Test
    @Timeout(120)
    void aMissingAndAGarbageHlogAreNamedUnderTheChartTheyAreMissingFrom() throws Exception {
        Path run = fixtureCopy();
        Files.delete(run.resolve("points/loom-virtual_closed_c1_s64_r2.hlog"));
        Files.writeString(run.resolve("points/selector-1_closed_c1_s64_r1.hlog"), "not a histogram log\n\u0000\u0001garbage");
        new Report(run).write();
        String md = Files.readString(run.resolve("report.md"));
        assertTrue(md.contains("This chart lacks data:"), md);
        assertTrue(md.contains("- loom-virtual rep 2: points/loom-virtual_closed_c1_s64_r2.hlog is missing"), md);
        assertTrue(md.contains("- selector-1 rep 1: points/selector-1_closed_c1_s64_r1.hlog"), md);

        // Every repetition of a variant gone: the variant is absent from the chart, and the report says so.
        Files.delete(run.resolve("points/loom-virtual_closed_c1_s64_r1.hlog"));
        new Report(run).write();
        md = Files.readString(run.resolve("report.md"));
        assertTrue(md.contains("- loom-virtual: no latency histogram could be read, so it is not drawn"), md);
    }

    @Test
    void theSpectrumReadsEveryHlogAsNanosecondsWhateverTheP99ColumnSays() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("ns"));
        Files.createDirectories(run.resolve("points"));
        PointResult row = Rows.closed("selector-1", 100, 1, 50000, 1000);
        Histogram h = new Histogram(3);
        for (int i = 0; i < 1000; i++) h.recordValue(20_000);  // 20 µs, in nanoseconds
        try (var out = Files.newOutputStream(run.resolve(row.hlogFile()))) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputIntervalHistogram(h);
        }
        try (RunFiles files = RunFiles.open(run)) {
            List<String> missing = new ArrayList<>();
            Histogram micros = new Charts(run, files, List.of(row), List.of("selector-1"), 5000)
                    .mergeMicros(List.of(row), missing);
            assertEquals(List.of(), missing);
            assertEquals(1000, micros.getTotalCount());
            assertEquals(20, micros.getValueAtPercentile(50));
        }
    }

    @Test
    void environmentJsonThatIsTruncatedOrNotAnObjectIsOneLine() throws Exception {
        Path run = runOf(List.of(Rows.closed("selector-1", 1, 1, 8000, 200)));
        Path env = run.resolve("environment.json");
        Files.writeString(env, "{\n  \"date_utc\": \"2026-11-29T21:48:16Z\",\n  \"profile\": \"fu");
        UserException e = assertThrows(UserException.class, () -> new Report(run));
        assertTrue(e.getMessage().startsWith(env + ": not valid JSON at line 3"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Files.writeString(env, "[1, 2]");
        e = assertThrows(UserException.class, () -> new Report(run));
        assertEquals(env + ": a JSON array where a JSON object was expected", e.getMessage());
    }

    @Test
    void aTornLastRowIsLeftOutOfTheTablesAndNoted() throws Exception {
        Path run = runOf(List.of(Rows.closed("selector-1", 1, 1, 8000, 200), Rows.closed("loom-virtual", 1, 1, 103869.9, 300)));
        Path file = run.resolve(Summary.FILE);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.indexOf("103869.9") + 4));
        String md = new Report(run).markdown(List.of());
        assertFalse(md.contains("1,038"), md);
        assertTrue(md.contains("the last row of summary.csv was cut short (a crash while it was written) and is left out"), md);
    }

    @Test
    @Timeout(120)
    void damagedFilesGetOneLineAndExit1FromTheCommandLine() throws Exception {
        Path run = runOf(List.of(Rows.closed("selector-1", 1, 1, 8000, 200)));
        Path summary = run.resolve(Summary.FILE);
        String good = Files.readString(summary);
        byte[] bad = good.getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 5] = (byte) 0xc3;
        Files.write(summary, bad);
        expectOneLine(run, summary + ": not UTF-8 text");

        Files.writeString(summary, good.replaceFirst(",reason,", ",why,"));
        expectOneLine(run, summary + ": the header has no 'reason' column");

        Files.writeString(summary, good);
        Files.writeString(run.resolve("environment.json"), "{\"profile\": ");
        expectOneLine(run, run.resolve("environment.json") + ": not valid JSON");
        Files.writeString(run.resolve("environment.json"), "\"a string\"");
        expectOneLine(run, run.resolve("environment.json") + ": a JSON string where a JSON object was expected");
    }

    private void expectOneLine(Path run, String start) throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "report", run.toString());
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(start), r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.stderr());
    }
}

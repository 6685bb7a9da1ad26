package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.plan.CompareConfig;
import study.echo.launch.Variant;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.report.Stats;

/** The small parts: medians, number formats, plan order, and bad options. */
class CompareUnitTest {
    @TempDir
    Path tmp;

    @Test
    void medianOfOddAndEvenCountsAndTheCellFormat() {
        Stats odd = Stats.of(Arrays.asList(3.0, 1.0, 2.0));
        assertEquals(2.0, odd.median());
        assertEquals("2 (1–3)", odd.cell());
        Stats even = Stats.of(Arrays.asList(4.0, 1.0, 2.0, 3.0, Double.NaN));
        assertEquals(2.5, even.median());
        assertEquals(4, even.n());
        assertEquals("12,346", Stats.format(12345.6));
        assertEquals("0.00123", Stats.format(0.0012345));
        assertEquals("7", Stats.of(List.of(7.0)).cell());
    }

    @Test
    void variantsTakeTurnsAndEachRepetitionStartsWithTheNext() {
        List<Variant> vs = Variant.standard(2).subList(0, 3);
        CompareConfig c = new CompareConfig("quick", Duration.ofSeconds(1), Duration.ofSeconds(2), 2, vs,
                List.of(1, 100), List.of(64), List.of(100), List.of(64), List.of(1000), 50, 5000, 5000, 1,
                tmp, false, false, List.of());
        List<Point> plan = Plan.of(c);
        assertEquals(2 * 3 * (2 + 1 + 1), plan.size());
        List<String> firstFour = new ArrayList<>();
        for (Point p : plan.subList(0, 4)) firstFour.add(p.variant().name() + " " + p.id().shape());
        assertEquals(List.of("selector-1 closed_c1_s64", "selector-N closed_c1_s64", "loom-virtual closed_c1_s64",
                "selector-1 closed_c100_s64"), firstFour);
        Point firstOfRep2 = plan.get(plan.size() / 2);
        assertEquals(2, firstOfRep2.rep());
        assertEquals("selector-N", firstOfRep2.variant().name());
        for (Point p : plan) {
            assertEquals(p.variant().name() + "_" + p.id().shape() + "_r" + p.rep(), p.key());
        }
    }

    @Test
    void badOptionsGetOneLineAndTheUsage() throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--variants", "bogus",
                "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("bench compare: unknown variant 'bogus'; choose from selector-1,"), r.stderr());
        assertTrue(r.stderr().contains("Usage: bench compare"), r.stderr());

        r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--profile", "huge", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("bench compare: --profile must be quick, full, workloads, active-among-idle or loom-tuning"), r.stderr());

        r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--duration", "soon");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("'soon' is not a duration"), r.stderr());
    }

    @Test
    void connectionCountsBeyondTheOpenFilesLimitAreCutWithANote() throws Exception {
        Process p = underOpenFilesLimit(700, "compare", "--dry-run", "--variants", "selector-1",
                "--connections", "10,1000", "--sizes", "64", "--out", tmp.resolve("x").toString());
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("closed-loop connection counts [1000] cut: the open-files limit (ulimit -n) is 700,"
                + " which allows at most 444 connections per process"), out);
        assertTrue(out.contains("idle connections cut from 10000 to 444"), out);
        assertTrue(out.contains("selector-1 closed 10 conns 64 B"), out);
        assertTrue(!out.contains("closed 1000 conns"), out);
    }

    @Test
    void idleCountsBeyondTheOpenFilesLimitAreOneLineAndExitTwoBeforeAnythingRuns() throws Exception {
        Process p = underOpenFilesLimit(1200, "compare", "--dry-run", "--variants", "selector-1",
                "--idle-with-active", "0,1000", "--out", tmp.resolve("x").toString());
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), out);
        assertTrue(out.startsWith("bench compare: --idle-with-active 1000 with --active-connections 100 needs 1356 open"
                + " files per process (with a margin of 256), but the open-files limit (ulimit -n) is 1200;"), out);
        assertTrue(!out.contains("Exception") && !out.contains("selector-1 closed"), out);
    }

    /** {@code bench ARGS} started under {@code ulimit -n LIMIT}, its output and errors in one stream. */
    private static Process underOpenFilesLimit(int limit, String... args) throws Exception {
        StringBuilder script = new StringBuilder("ulimit -n " + limit + " && exec");
        for (String a : BenchProcess.command(args)) script.append(" '").append(a).append('\'');
        return new ProcessBuilder("sh", "-c", script.toString()).redirectErrorStream(true).start();
    }

    @Test
    void helpStatesTheProfiles() throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.stdout().contains("quick  (default)") && r.stdout().contains("about 54 minutes"), r.stdout());
    }
}

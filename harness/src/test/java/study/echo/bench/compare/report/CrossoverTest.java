package study.echo.bench.compare.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Rows;
import study.echo.bench.compare.results.Summary;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/** Little's bound, the best selector, the winner of a cell of the crossover map, and how the report shows them. */
class CrossoverTest {
    @TempDir
    Path dir;

    static PointResult closed(String variant, int conns, String work, double throughput, double p99Micros) {
        PointId id = new PointId(variant, Point.Mode.CLOSED, conns, 64, 0, 1, WorkSpec.parse(work));
        return Rows.ok(id, Rows.client(id, (long) throughput * 8, throughput, p99Micros, 0, 40), null,
                "points/" + id.key() + ".hlog");
    }

    @Test
    void littlesBoundIsConnectionsOverWaitPlusCpu() {
        assertEquals(100 / 0.01001, Crossover.littlesBoundMsgsPerSec(100, WorkSpec.parse("cpu:10us+wait:10ms")), 1e-6);
        assertEquals(100_000, Crossover.littlesBoundMsgsPerSec(10_000, WorkSpec.parse("wait:100ms")), 1e-6);
        assertTrue(Double.isNaN(Crossover.littlesBoundMsgsPerSec(100, WorkSpec.NONE)));
    }

    @Test
    void theBestSelectorIsTheBestOfTheThreeSelectorDesignsForEachFigure() {
        List<PointResult> at = List.of(closed("selector-1", 100, "wait:1ms", 900, 110_000),
                closed(Variant.OFFLOAD_PLATFORM, 100, "wait:1ms", 9_000, 12_000),
                closed(Variant.OFFLOAD_VIRTUAL, 100, "wait:1ms", 8_000, 11_000),
                closed("loom-platform", 100, "wait:1ms", 99_000, 10),
                closed("loom-virtual", 100, "wait:1ms", 9_900, 10_000));
        Crossover.Ratio tput = Crossover.ratio(at, Report.THROUGHPUT, true);
        assertEquals(Variant.OFFLOAD_PLATFORM, tput.selector().variant());
        assertEquals(1.1, tput.ratio(), 1e-9);
        Crossover.Ratio p99 = Crossover.ratio(at, Report.P99, false);
        assertEquals(Variant.OFFLOAD_VIRTUAL, p99.selector().variant());
        assertEquals(10_000 / 11_000.0, p99.ratio(), 1e-9);
        assertNull(Crossover.ratio(at.subList(0, 3), Report.THROUGHPUT, true), "no loom-virtual, no ratio");
    }

    @Test
    void aCellIsWonBeyondTenPercentEitherWayAndATieWithin() {
        Crossover.Best sel = new Crossover.Best("selector-1", 1000);
        assertEquals("loom-virtual", Crossover.winner(new Crossover.Ratio(1.10, sel)));
        assertEquals("tie", Crossover.winner(new Crossover.Ratio(1.09, sel)));
        assertEquals("tie", Crossover.winner(new Crossover.Ratio(1 / 1.09, sel)));
        assertEquals("selector-1", Crossover.winner(new Crossover.Ratio(1 / 1.10, sel)));
        assertEquals(2.0, Crossover.advantage(new Crossover.Ratio(0.5, sel)), 1e-9);
    }

    @Test
    void theReportPutsLittlesBoundBesideEachThroughputAndNamesTheWinnerOfEachCell() throws Exception {
        try (Summary s = Summary.open(dir)) {
            for (PointResult r : List.of(
                    closed("loom-virtual", 100, "wait:10ms", 9_000, 12_000),
                    closed(Variant.OFFLOAD_VIRTUAL, 100, "wait:10ms", 8_000, 15_000),
                    closed(Variant.OFFLOAD_PLATFORM, 100, "wait:10ms", 5_000, 30_000),
                    closed("loom-virtual", 100, "cpu:100us", 15_000, 9_000),
                    closed("selector-1", 100, "cpu:100us", 20_000, 6_000),
                    closed(Variant.NATIVE, 100, "cpu:100us", 21_000, 5_000))) {
                s.append(r);
            }
        }
        String md = new Report(dir).markdown(List.of());
        // Columns: selector-1, selector-offload-platform, selector-offload-virtual, loom-virtual, native.
        assertTrue(md.contains("| 64 | wait:10ms | 100 | 10,000 | – | 5,000 (50%) | 8,000 (80%) | 9,000 (90%) | n/a |"), md);
        assertTrue(md.contains("| 64 | cpu:100us | 100 | 20,000 | – | – | 15,000 | 21,000 |"), md);
        assertTrue(md.contains("| 64 | wait:10ms | 100 | – | 5,000 | 8,000 | 9,000 | n/a |"), md);
        assertTrue(!md.contains("| 64 | cpu:100us | 100 | 10,000"), "Little's bound only where the work waits");
        assertTrue(md.contains("| 0 | – | **loom-virtual** 1.13× (tput 1.13× vs selector-offload-virtual, "
                + "p99 0.80× vs selector-offload-virtual) |"), md);
        assertTrue(md.contains("| 100us | **selector-1** 1.33× (tput 0.75× vs selector-1, p99 1.50× vs selector-1) | – |"), md);
    }
}

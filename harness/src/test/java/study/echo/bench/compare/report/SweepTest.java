package study.echo.bench.compare.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Rows;
import study.echo.client.ArrivalPattern;
import study.echo.common.work.WorkSpec;

/** An even and a Poisson sweep of the same load never share a median, a table or a chart. */
class SweepTest {
    private static PointResult at(String variant, int rate, ArrivalPattern arrivals) {
        PointId id = new PointId(variant, Point.Mode.OPEN, 100, 64, rate, 1, WorkSpec.NONE, arrivals);
        return Rows.ok(id, Rows.client(id, 4 * rate, rate, 300, 0, 10), null, null);
    }

    @Test
    void eachPatternIsASweepOfItsOwn() {
        ArrivalPattern poisson = ArrivalPattern.parse("poisson");
        List<Sweep> sweeps = Sweep.of(List.of(at("selector-1", 10000, ArrivalPattern.EVEN), at("selector-1", 10000, poisson),
                at("loom-virtual", 20000, ArrivalPattern.EVEN), at("loom-virtual", 20000, poisson)));
        assertEquals(2, sweeps.size());
        assertEquals(ArrivalPattern.EVEN, sweeps.get(0).arrivals());
        assertEquals(2, sweeps.get(0).points().size());
        assertEquals("100 connections, 64 B", sweeps.get(0).label());
        assertEquals("c100_64B", sweeps.get(0).fileLabel());
        assertEquals("100 connections, 64 B, poisson arrivals", sweeps.get(1).label());
        assertEquals("c100_64B_poisson", sweeps.get(1).fileLabel());
    }
}

package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import study.echo.client.ArrivalPattern;
import study.echo.launch.Variant;

/** {@code --profile loom-tuning}: its matrix, and a plan that fits 30 minutes with every row it may run. */
class LoomTuningProfileTest {
    private static final double BUDGET_S = 30 * 60;

    @Test
    void itRunsTheTuningRowsLoomVirtualAndSelector1AtThreeCountsAndAShortSweep() {
        CompareConfig c = CompareOptionsTest.config("--profile", "loom-tuning");
        assertEquals(List.of("loom-virtual", "loom-poller1", "loom-poller2", "loom-readpollers1", "loom-readpollersN",
                "loom-par1", "loom-parN", "loom-direct-register", "selector-1"), c.variants().stream().map(Variant::name).toList());
        assertEquals(List.of(100, 1000, 10_000), c.closedConnections());
        assertEquals(List.of(64), c.sizesBytes());
        assertEquals(List.of(100), c.openConnections());
        assertEquals(3, c.ratesMsgsPerSec().size());
        assertEquals(List.of(ArrivalPattern.EVEN), c.arrivals());
        assertEquals(3, c.reps());
        assertEquals(0, c.idleConnections());
    }

    @Test
    void itsPlanFitsThirtyMinutesWithEveryRowCountingTheRampTo10000Connections() {
        CompareConfig c = CompareOptionsTest.config("--profile", "loom-tuning");
        List<Point> plan = Plan.of(c);
        assertEquals(9 * (3 + 3) * 3, plan.size());
        Point big = plan.stream().filter(p -> p.connections() == 10_000).findFirst().orElseThrow();
        double rampS = 10_000.0 / c.connectRatePerSec();
        assertTrue(Plan.estimateSeconds(big, c) >= rampS + 2 + 4, "the estimate leaves out the ramp to 10,000 connections");
        double planned = Plan.estimateSeconds(plan, c);
        assertTrue(planned <= BUDGET_S, "planned " + planned + " s, over the 30-minute budget");
    }
}

package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import study.echo.client.ArrivalPattern;
import study.echo.common.BadOptionException;

/** --arrivals as a dimension of the open-loop sweeps (issue 14). */
class ArrivalsPlanTest {
    private static final ArrivalPattern POISSON = ArrivalPattern.parse("poisson");

    private static List<Point> open(List<Point> plan) {
        return plan.stream().filter(p -> p.mode() == Point.Mode.OPEN).toList();
    }

    @Test
    void theQuickAndFullSweepsRunEvenAndPoissonAndTheWorkloadsSweepEvenOnly() {
        assertEquals(List.of(ArrivalPattern.EVEN, POISSON), Profile.QUICK.arrivals());
        assertEquals(List.of(ArrivalPattern.EVEN, POISSON), Profile.FULL.arrivals());
        assertEquals(List.of(ArrivalPattern.EVEN), Profile.WORKLOADS.arrivals());
        List<Point> quick = open(Plan.of(CompareOptionsTest.config("--variants", "selector-1", "--idle-connections", "0")));
        assertEquals(2 * 2, quick.size(), "two rates, two patterns: " + quick);
    }

    @Test
    void aPatternIsInTheKeyExceptEvenWhoseKeysAreThoseOfRunsBeforeArrivals() {
        List<Point> plan = open(Plan.of(CompareOptionsTest.config("--variants", "selector-1", "--connections", "100",
                "--sizes", "64", "--rates", "20000", "--idle-connections", "0", "--arrivals", "even,poisson,bursts:4")));
        Set<String> keys = new HashSet<>();
        for (Point p : plan) keys.add(p.key());
        assertEquals(Set.of("selector-1_open_c100_s64_rate20000_r1", "selector-1_open_c100_s64_rate20000_poisson_r1",
                "selector-1_open_c100_s64_rate20000_bursts4_r1"), keys);
    }

    @Test
    void everyVariantOfAPointDrawsTheSameScheduleAndEachRepetitionAnother() {
        List<Point> plan = open(Plan.of(CompareOptionsTest.config("--variants", "selector-1,loom-virtual",
                "--connections", "100", "--sizes", "64", "--rates", "20000", "--idle-connections", "0",
                "--arrivals", "poisson", "--reps", "2")));
        assertEquals(4, plan.size());
        Point first = plan.get(0);
        Point sameRep = plan.stream().filter(p -> p.rep() == first.rep() && p != first).findFirst().orElseThrow();
        Point otherRep = plan.stream().filter(p -> p.rep() != first.rep()).findFirst().orElseThrow();
        assertEquals(first.id().arrivalsSeed(), sameRep.id().arrivalsSeed());
        assertNotEquals(first.id().arrivalsSeed(), otherRep.id().arrivalsSeed());
    }

    @Test
    void closedAndIdlePointsHaveNoPattern() {
        Point closed = new Point(study.echo.launch.Variant.named("selector-1", 1), Point.Mode.CLOSED, 100, 64, 0, 1,
                null, POISSON);
        assertEquals(ArrivalPattern.EVEN, closed.arrivals());
        assertEquals("selector-1_closed_c100_s64_r1", closed.key());
    }

    @Test
    void aBadPatternIsOneLine() {
        BadOptionException e = assertThrows(BadOptionException.class,
                () -> CompareOptionsTest.config("--arrivals", "even,sometimes"));
        assertTrue(e.getMessage().contains("'sometimes'"), e.getMessage());
    }
}

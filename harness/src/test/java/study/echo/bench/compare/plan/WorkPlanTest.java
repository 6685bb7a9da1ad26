package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import study.echo.common.BadOptionException;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/** --work as a dimension of the plan, the workloads profile, and the rule of which variant runs at which work. */
class WorkPlanTest {
    private static final WorkSpec WAIT_1MS = WorkSpec.parse("wait:1ms");

    private static List<Point> plan(String... args) {
        return Plan.of(CompareOptionsTest.config(args));
    }

    private static boolean runs(List<Point> plan, String variant, String work, int conns) {
        WorkSpec w = WorkSpec.parse(work);
        return plan.stream().anyMatch(p -> p.variant().name().equals(variant) && p.work().equals(w) && p.connections() == conns);
    }

    @Test
    void workIsADimensionAndItsKeyNamesIt() {
        List<Point> plan = plan("--variants", "selector-1,loom-virtual", "--connections", "100", "--sizes", "64",
                "--rates", "none", "--idle-connections", "0", "--work", "none,cpu:10us,wait:1ms,cpu:10us+wait:1ms");
        assertEquals(2 * 4, plan.size());
        Set<String> keys = new HashSet<>();
        for (Point p : plan) assertTrue(keys.add(p.key()), "two points share " + p.key());
        assertTrue(keys.contains("loom-virtual_closed_c100_s64_r1"), "the echo keeps the key of runs before --work: " + keys);
        assertTrue(keys.contains("loom-virtual_closed_c100_s64_cpu10us-wait1ms_r1"), keys.toString());
        assertTrue(keys.contains("selector-1_closed_c100_s64_wait1ms_r1"), keys.toString());
    }

    @Test
    void nativeIsNotApplicableAtAWaitAndOffloadingOnlyRunsWhereTheWorkWaits() {
        CompareConfig c = CompareOptionsTest.config("--variants", "native,selector-offload-virtual,selector-offload-platform",
                "--connections", "100", "--sizes", "64", "--rates", "none", "--idle-connections", "0",
                "--work", "cpu:10us,wait:1ms");
        List<Point> plan = Plan.of(c);
        assertTrue(runs(plan, Variant.NATIVE, "cpu:10us", 100));
        assertFalse(runs(plan, Variant.NATIVE, "wait:1ms", 100));
        assertTrue(runs(plan, Variant.OFFLOAD_VIRTUAL, "wait:1ms", 100));
        assertFalse(runs(plan, Variant.OFFLOAD_VIRTUAL, "cpu:10us", 100));
        assertFalse(runs(plan, Variant.OFFLOAD_PLATFORM, "cpu:10us", 100));
        assertEquals(3, plan.size());
        assertEquals(List.of("native closed 100 conns 64 B work wait:1ms: not applicable: native implements no wait"),
                Plan.notApplicable(c));
    }

    @Test
    void aBlockedEventLoopRunsOnlyWhereEachAnswerWaitsAtMost200Ms() {
        Variant selector = Variant.named("selector-1", 2);
        assertEquals(Applicability.RUNS, Applicability.of(selector, WAIT_1MS, 200));
        assertEquals(Applicability.LEFT_OUT, Applicability.of(selector, WAIT_1MS, 201));
        assertEquals(Applicability.LEFT_OUT, Applicability.of(Variant.named("netty-epoll", 2), WAIT_1MS, 1));
        assertEquals(Applicability.RUNS, Applicability.of(Variant.named("netty-epoll", 2), WorkSpec.parse("cpu:100us"), 10_000));
        assertEquals(Applicability.RUNS, Applicability.of(Variant.named("loom-platform", 2), WorkSpec.parse("wait:100ms"), 10_000));
        assertEquals(Applicability.NOT_APPLICABLE, Applicability.of(Variant.named(Variant.NATIVE, 2), WAIT_1MS, 1));
        assertEquals(Applicability.RUNS, Applicability.of(Variant.named(Variant.NATIVE, 2), WorkSpec.NONE, 1));
    }

    @Test
    void theWorkloadsProfileSweepsCpuByWaitByConnectionsWithinItsBudget() {
        CompareConfig c = CompareOptionsTest.config("--profile", "workloads");
        List<Point> plan = Plan.of(c);
        assertEquals(12, c.works().size());
        assertEquals(List.of(WorkSpec.parse("cpu:10us+wait:10ms")), c.openWorks());
        for (int conns : List.of(100, 1000, 10_000)) {
            for (String cpu : List.of("", "cpu:10us", "cpu:100us")) {
                for (String wait : List.of("", "wait:1ms", "wait:10ms", "wait:100ms")) {
                    String work = cpu.isEmpty() && wait.isEmpty() ? "none"
                            : cpu.isEmpty() ? wait : wait.isEmpty() ? cpu : cpu + "+" + wait;
                    boolean waits = !wait.isEmpty();
                    for (String v : List.of("loom-virtual", "loom-platform")) assertTrue(runs(plan, v, work, conns), v + " " + work);
                    for (String v : List.of(Variant.OFFLOAD_PLATFORM, Variant.OFFLOAD_VIRTUAL)) {
                        assertEquals(waits, runs(plan, v, work, conns), v + " " + work + " " + conns);
                    }
                    assertEquals(!waits, runs(plan, "netty-epoll", work, conns), "netty-epoll " + work);
                    assertEquals(!waits, runs(plan, Variant.NATIVE, work, conns), "native " + work);
                    assertEquals(!waits || (conns == 100 && wait.equals("wait:1ms")), runs(plan, "selector-1", work, conns),
                            "selector-1 " + work + " " + conns);
                }
            }
        }
        List<Point> open = plan.stream().filter(p -> p.mode() == Point.Mode.OPEN).toList();
        assertEquals(4 * 5, open.size());
        assertTrue(open.stream().allMatch(p -> p.connections() == 1000 && p.work().equals(c.openWorks().get(0))));
        assertTrue(plan.stream().noneMatch(p -> p.mode() == Point.Mode.IDLE));
        assertTrue(plan.stream().allMatch(p -> p.sizeBytes() == 64 && p.rep() == 1));
        double planned = Plan.estimateSeconds(plan, c);
        assertTrue(planned <= 45 * 60, "planned " + planned + " s");
        // Honest: every point pays its ramp, warm-up, measured window and start/stop.
        double floor = plan.stream().mapToDouble(p -> 2.5 + p.connections() / 2500.0 + 2 + 8).sum();
        assertTrue(planned >= floor, planned + " < " + floor);
    }

    @Test
    void theEchoProfilesKeepTheirMatrixAndTheOffloadingVariantsRunNoPointOfThem() {
        List<Point> quick = plan();
        List<Point> full = plan("--profile", "full");
        // The echo matrices of before --work, plus the Poisson half of their open sweeps (issue 14):
        // quick 2 rates x 7 variants, full 6 rates x 7 variants x 3 repetitions.
        assertEquals(49 + 14, quick.size());
        assertEquals(357 + 126, full.size());
        assertTrue(full.stream().noneMatch(p -> p.variant().offloads()), "no offloading at an echo, not even idle");
    }

    @Test
    void aBadWorkSpecIsABadOption() {
        BadOptionException e = assertThrows(BadOptionException.class, () -> CompareOptionsTest.config("--work", "cpu:20"));
        assertTrue(e.getMessage().contains("--work"), e.getMessage());
    }
}

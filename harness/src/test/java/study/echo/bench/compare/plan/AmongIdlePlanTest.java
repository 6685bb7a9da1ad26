package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import study.echo.common.BadOptionException;

/** --idle-with-active and --profile active-among-idle: the points, their keys, the planned time and the limit check. */
class AmongIdlePlanTest {
    private static List<Point> amongIdle(List<Point> plan) {
        return plan.stream().filter(p -> p.id().amongIdle()).toList();
    }

    @Test
    void theProfileRunsEveryVariantAtEveryIdleCountWithAHundredActive() {
        CompareConfig c = CompareOptionsTest.config("--profile", "active-among-idle");
        List<Point> plan = Plan.of(c);
        assertEquals(6 * 4 * 2, plan.size());
        assertEquals(plan, amongIdle(plan));
        for (String v : List.of("selector-1", "selector-poll", "loom-virtual", "loom-platform", "netty-epoll", "native")) {
            for (int idle : List.of(0, 1000, 10_000, 18_000)) {
                String key = v + "_closed_c100_s64_idle" + idle + "_r2";
                assertTrue(plan.stream().anyMatch(p -> p.key().equals(key)), key + " missing from " + plan);
            }
        }
        Point p = plan.stream().filter(x -> x.idleHeld() == 18_000).findFirst().orElseThrow();
        assertEquals(Point.Mode.CLOSED, p.mode());
        assertEquals(18_100, p.totalConnections());
        assertTrue(p.describe(2).contains("closed 100 conns 64 B among 18000 idle"), p.describe(2));
    }

    @Test
    void thePlannerCountsOpeningTheIdleConnectionsAndTheProfileFitsFifteenMinutes() {
        CompareConfig c = CompareOptionsTest.config("--profile", "active-among-idle");
        List<Point> plan = Plan.of(c);
        Point none = plan.stream().filter(x -> x.idleHeld() == 0).findFirst().orElseThrow();
        Point most = plan.stream().filter(x -> x.idleHeld() == 18_000).findFirst().orElseThrow();
        // 18,000 connects at 2,500/s are 7.2 s, on top of everything the point with none costs.
        assertTrue(Plan.estimateSeconds(most, c) - Plan.estimateSeconds(none, c) >= 18_000.0 / 2500,
                () -> Plan.estimateSeconds(most, c) + " against " + Plan.estimateSeconds(none, c));
        double planned = Plan.estimateSeconds(plan, c);
        assertTrue(planned <= 15 * 60 && planned > 8 * 60, () -> "planned " + planned + " s");
    }

    @Test
    void idleCountsJoinAnyMatrixAndLeaveItsKeysAsTheyWere() {
        CompareConfig c = CompareOptionsTest.config("--variants", "selector-1", "--connections", "100", "--sizes", "64",
                "--rates", "none", "--idle-connections", "0", "--idle-with-active", "0,500", "--active-connections", "20");
        List<String> keys = Plan.of(c).stream().map(Point::key).toList();
        assertEquals(List.of("selector-1_closed_c100_s64_r1", "selector-1_closed_c20_s64_idle0_r1",
                "selector-1_closed_c20_s64_idle500_r1"), keys);
        assertNull(Plan.of(c).get(0).idleHeld());
        CompareConfig withOpen = CompareOptionsTest.config("--variants", "selector-1", "--connections", "100",
                "--sizes", "64", "--rates", "none", "--idle-connections", "0", "--idle-with-active", "500",
                "--active-connections", "20", "--active-rate", "2000");
        assertEquals(List.of("selector-1_closed_c100_s64_r1", "selector-1_closed_c20_s64_idle500_r1",
                "selector-1_open_c20_s64_rate2000_idle500_r1"), Plan.of(withOpen).stream().map(Point::key).toList());
        assertEquals(List.of(), CompareOptionsTest.config("--profile", "active-among-idle", "--idle-with-active", "none")
                .idleWithActive());
    }

    @Test
    void countsBeyondTheOpenFilesLimitOrThePortsAreABadOptionNamingTheLimit() {
        CompareConfig c = CompareOptionsTest.config("--profile", "active-among-idle");
        CompareOptions.checkAmongIdleLimits(c, 20_000, 28_232);
        BadOptionException fds = assertThrows(BadOptionException.class,
                () -> CompareOptions.checkAmongIdleLimits(c, 18_300, 28_232));
        assertEquals("--idle-with-active 18000 with --active-connections 100 needs 18356 open files per process"
                + " (with a margin of 256), but the open-files limit (ulimit -n) is 18300; raise it or ask for fewer",
                fds.getMessage());
        BadOptionException ports = assertThrows(BadOptionException.class,
                () -> CompareOptions.checkAmongIdleLimits(c, 1_000_000, 2_000));
        assertTrue(ports.getMessage().contains("needs 18100 local ports, but the ephemeral port range offers 2000 on each"
                + " of 8 source address(es)"), ports.getMessage());
        // Unknown limits are not a reason to refuse.
        CompareOptions.checkAmongIdleLimits(c, -1, 0);
    }

    @Test
    void badCountsAreRefused() {
        assertThrows(BadOptionException.class, () -> CompareOptionsTest.config("--idle-with-active", "-1"));
        assertThrows(BadOptionException.class, () -> CompareOptionsTest.config("--idle-with-active", "lots"));
        assertThrows(BadOptionException.class,
                () -> CompareOptionsTest.config("--idle-with-active", "10", "--active-connections", "0"));
    }
}

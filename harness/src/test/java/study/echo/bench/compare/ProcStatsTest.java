package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcStatsTest {
    private static ProcStats.Snapshot at(Map<Long, long[]> switches) {
        return new ProcStats.Snapshot(0, 0, 0, 0, switches.size(), switches);
    }

    @Test
    void contextSwitchesAreDifferencedThreadByThreadSoAnEndedThreadCannotMakeThemNegative() {
        ProcStats.Snapshot before = at(Map.of(1L, new long[] {100, 10}, 2L, new long[] {5_000, 500}, 3L, new long[] {7, 0}));
        // Thread 2, with most of the switches, ended; thread 4 was born.
        ProcStats.Snapshot after = at(Map.of(1L, new long[] {130, 12}, 3L, new long[] {9, 1}, 4L, new long[] {20, 3}));
        assertArrayEquals(new long[] {30 + 2 + 20, 2 + 1 + 3}, ProcStats.ctxSwitchesBetween(before, after));
    }

    @Test
    void theLiveProcessReadsBack() throws Exception {
        long pid = ProcessHandle.current().pid();
        ProcStats.Snapshot a = ProcStats.full(pid);
        Thread.sleep(20);
        ProcStats.Snapshot b = ProcStats.full(pid);
        long[] switches = ProcStats.ctxSwitchesBetween(a, b);
        org.junit.jupiter.api.Assertions.assertTrue(switches[0] >= 0 && switches[1] >= 0);
        org.junit.jupiter.api.Assertions.assertTrue(b.ctxSwitchesByThread().size() >= 1);
    }
}

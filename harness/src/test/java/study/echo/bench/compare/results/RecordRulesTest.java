package study.echo.bench.compare.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.client.ClientResult;
import study.echo.common.work.WorkSpec;

/** The rules that live on the records, once: the point's key, the SLO verdict, the client-limit verdict. */
class RecordRulesTest {
    @Test
    void theKeyNamesVariantShapeAndRepetition() {
        assertEquals("selector-1_closed_c100_s64_r2", new PointId("selector-1", Point.Mode.CLOSED, 100, 64, 0, 2).key());
        assertEquals("loom-virtual_open_c100_s4096_rate20000_r1",
                new PointId("loom-virtual", Point.Mode.OPEN, 100, 4096, 20000, 1).key());
        assertEquals("native_idle_c10000_r3", new PointId("native", Point.Mode.IDLE, 10000, 0, 0, 3).key());
    }

    @Test
    void theSloIsMetAtItsBoundsAndMissedJustPastThem() {
        assertTrue(Verdicts.meetsSlo(5000, 9500, 10000, 5000));
        assertFalse(Verdicts.meetsSlo(5000.1, 9500, 10000, 5000));
        assertFalse(Verdicts.meetsSlo(100, 9499.9, 10000, 5000));
    }

    /** The workloads run's open sweep waited 10 ms a request: a bare 5 ms objective failed every design at every rate. */
    @Test
    void withWorkTheObjectiveIsTheSloAboveTheWorksOwnTime() {
        PointId waits = new PointId("v", Point.Mode.OPEN, 1000, 64, 2000, 1, WorkSpec.parse("cpu:10us+wait:10ms"));
        Verdicts v = Verdicts.judge(waits, Rows.client(waits, 16000, 2000, 14115, 0, 50), 1, 5000);
        assertEquals(new Verdicts(false, 15_010L, true), v);
        assertEquals(5000, Verdicts.sloMicros(WorkSpec.NONE, 5000));
        Verdicts late = Verdicts.judge(waits, Rows.client(waits, 16000, 2000, 15_011, 0, 50), 1, 5000);
        assertFalse(late.meetsSlo());
    }

    @Test
    void onlyAnOpenLoopPointIsJudgedAgainstTheSlo() {
        PointId open = new PointId("v", Point.Mode.OPEN, 100, 64, 10000, 1);
        Verdicts v = Verdicts.judge(open, Rows.client(open, 40000, 9990, 6000, 0, 50), 1, 5000);
        assertEquals(new Verdicts(false, 5000L, false), v);
        PointId closed = new PointId("v", Point.Mode.CLOSED, 100, 64, 0, 1);
        Verdicts c = Verdicts.judge(closed, Rows.client(closed, 40000, 9990, 6000, 0, 50), 1, 5000);
        assertNull(c.sloP99Micros());
        assertNull(c.meetsSlo());
    }

    @Test
    void theClientIsSuspectWhenItFellBehindOrRanOutOfCpu() {
        PointId id = new PointId("v", Point.Mode.OPEN, 100, 64, 10000, 1);
        ClientResult onePercentLate = Rows.client(id, 10000, 10000, 100, 100, 50);
        ClientResult justOver = Rows.client(id, 10000, 10000, 100, 101, 50);
        assertFalse(Verdicts.clientLimited(onePercentLate, 1));
        assertTrue(Verdicts.clientLimited(justOver, 1));
        assertTrue(Verdicts.clientLimited(Rows.client(id, 10000, 10000, 100, 0, 90.0), 1));
        assertFalse(Verdicts.clientLimited(Rows.client(id, 10000, 10000, 100, 0, 89.9), 1));
        assertFalse(Verdicts.clientLimited(Rows.client(id, 10000, 10000, 100, 0, 150), 2), "two threads can use 200%");
        assertTrue(Verdicts.clientLimited(Rows.client(id, 10000, 10000, 100, 0, 180), 2));
    }

    @Test
    void aSaturatedClientIsOneWhoseBusiestIoThreadFillsACoreWhateverItsJitAndGcThreadsDid() {
        PointId id = new PointId("selector-1", Point.Mode.CLOSED, 100, 64, 0, 1);
        // The whole process at 150% of a core (JIT and GC threads busy) with its one I/O thread at 60%:
        // the I/O thread had room, so the client did not set the pace.
        assertFalse(Verdicts.clientLimited(Rows.clientWithBusiestThread(id, 150, 60), 1));
        assertTrue(Verdicts.clientLimited(Rows.clientWithBusiestThread(id, 110, 95), 1));
        // Two I/O threads and 120% in all, far from the 180% the process rule wants, but one loop is full.
        assertTrue(Verdicts.clientLimited(Rows.clientWithBusiestThread(id, 120, 90.0), 2), "one saturated loop of two");
        assertFalse(Verdicts.clientLimited(Rows.clientWithBusiestThread(id, 120, 89.9), 2));
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the send counts judge the client's own schedule: on time within 100 us, late past 1 ms, behind past 0.1%. */
class SendStatsTest {

    @Test
    void aSendIsOnTimeUpToAndIncluding100MicrosecondsOfLag() {
        SendStats s = new SendStats();
        s.sent(0, 0);
        s.sent(0, SendStats.ON_TIME_NANOS);
        s.sent(0, SendStats.ON_TIME_NANOS + 1);
        s.sent(0, OpenLoop.LATE_NANOS + 1);
        assertEquals(50.0, s.onTimePercent(), 1e-9);
        assertEquals(1, s.late());
        s.heldByCap();
        assertEquals(50.0, s.onTimePercent(), 1e-9, "a send held by the cap is the server's delay, not counted here");
    }

    @Test
    void aSendLateByExactlyOneMillisecondIsNotLate() {
        SendStats s = new SendStats();
        s.sent(0, OpenLoop.LATE_NANOS);
        assertEquals(0, s.late());
        assertEquals(0.0, s.onTimePercent(), 1e-9);
    }

    @Test
    void theClientFellBehindOnlyWhenMoreThanATenthOfAPercentOfSendsWereLate() {
        SendStats s = new SendStats();
        for (int i = 0; i < 1999; i++) {
            s.sent(0, 10_000);
        }
        s.sent(0, 5 * OpenLoop.LATE_NANOS);
        s.sent(0, 5 * OpenLoop.LATE_NANOS);
        assertEquals(2, s.late());
        assertFalse(s.fellBehind(), "2 of 2,001 late is scheduling noise");
        s.sent(0, 5 * OpenLoop.LATE_NANOS);
        assertTrue(s.fellBehind(), "3 of 2,002 late is more than 0.1%");
    }

    @Test
    void resetAndAddCarryTheOnTimeCount() {
        SendStats a = new SendStats();
        a.sent(0, 0);
        a.sent(0, OpenLoop.LATE_NANOS * 2);
        SendStats merged = a.copy();
        assertEquals(50.0, merged.onTimePercent(), 1e-9);
        a.reset();
        a.sent(0, 0);
        assertEquals(100.0, a.onTimePercent(), 1e-9);
        assertTrue(Double.isNaN(new SendStats().onTimePercent()));
    }

    /** HdrHistogram tests a recorded 0 with a branch of its own, which a rare on-time send first took inside the window. */
    @Test
    void aSendExactlyOnTimeIsRecordedAsOneNanosecondSoNoZeroReachesTheHistogram() {
        SendStats s = new SendStats();
        s.sent(0, 0);
        s.sent(0, -5);
        assertEquals(1, s.lagNanos().getMinValue());
        assertEquals(0, s.lagNanos().getCountAtValue(0));
        assertEquals(100.0, s.onTimePercent(), 1e-9);
    }
}

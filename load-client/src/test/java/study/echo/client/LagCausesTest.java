package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The attribution of late sends, on scripted waits: each send more than 100 us late is counted once,
 * under the wait or the work that took most of its lag, so the causes add up to the late sends.
 */
class LagCausesTest {
    private static final long US = 1_000;
    private static final long T = 1_000_000_000L;

    /** Causes whose thread last waited as {@code kind}, asked to end at {@code requestedEnd}, and ended at {@code end}. */
    private static LagCauses after(int kind, long requestedEnd, long end) {
        LagCauses c = new LagCauses();
        c.waitBegan(kind, requestedEnd);
        c.waitEnded(end);
        return c;
    }

    @Test
    void aParkThatEndsFarPastTheSendsTimeIsTheCause() {
        LagCauses c = after(LagCauses.PARK, T - 20 * US, T + 300 * US);
        c.sent(T, T + 305 * US);
        assertEquals(1, c.late(LagCauses.PARK));
        assertEquals(1, c.late());
        assertEquals(300 * US, c.lateAmount(LagCauses.PARK).getMaxValue(), 3 * US, "the oversleep past the send's time");
        assertEquals(320 * US, c.waitLateness(LagCauses.PARK).getMaxValue(), 3 * US, "past the park's requested end");
    }

    @Test
    void aParkThatEndedOnTimeLeavesTheLagToTheWork() {
        LagCauses c = after(LagCauses.PARK, T, T + 10 * US);
        c.sent(T, T + 400 * US);
        assertEquals(1, c.late(LagCauses.BUSY));
        assertEquals(390 * US, c.lateAmount(LagCauses.BUSY).getMaxValue(), 4 * US);
    }

    @Test
    void aSelectThatReturnedLateIsTheCause() {
        LagCauses c = after(LagCauses.SELECT, T - 50 * US, T + 2_000 * US);
        c.sent(T, T + 2_010 * US);
        assertEquals(1, c.late(LagCauses.SELECT));
    }

    @Test
    void aSendDueAfterTheWaitEndedOrAfterNoWaitIsLateFromWork() {
        LagCauses c = after(LagCauses.PARK, T - 100 * US, T - 90 * US);
        c.sent(T, T + 500 * US);
        c.noWait(T - 5 * US);
        c.sent(T, T + 500 * US);
        assertEquals(2, c.late(LagCauses.BUSY));
        assertEquals(0, c.late(LagCauses.PARK));
    }

    @Test
    void aSendWithin100MicrosecondsHasNoCause() {
        LagCauses c = after(LagCauses.PARK, T - 10 * US, T + 90 * US);
        c.sent(T, T + SendStats.ON_TIME_NANOS);
        assertEquals(0, c.late());
        c.sent(T, T + SendStats.ON_TIME_NANOS + 1);
        assertEquals(1, c.late(LagCauses.PARK));
    }

    /** Random waits and sends through SendStats: the causes add up to the sends the on-time count left out. */
    @Test
    void theCausesAddUpToTheSendsOver100MicrosecondsLate() {
        Random random = new Random(14);
        SendStats s = new SendStats();
        LagCauses c = s.causes();
        long over = 0;
        long now = T;
        for (int i = 0; i < 20_000; i++) {
            int kind = random.nextInt(3);
            long waitStart = now;
            long requested = random.nextInt(2_000) * US;
            long end = waitStart + (long) (requested * random.nextDouble() * 1.5) + random.nextInt(300) * US;
            if (kind == LagCauses.NO_WAIT) {
                c.noWait(waitStart);
                end = waitStart;
            } else {
                c.waitBegan(kind, waitStart + requested);
                c.waitEnded(end);
            }
            long sendAt = end + random.nextInt(200) * US;
            long intended = sendAt - random.nextInt(500) * US;
            s.sent(intended, sendAt);
            if (sendAt - intended > SendStats.ON_TIME_NANOS) {
                over++;
            }
            now = sendAt;
        }
        long expected = over;
        assertEquals(expected, c.late(LagCauses.PARK) + c.late(LagCauses.SELECT) + c.late(LagCauses.BUSY));
        assertEquals(expected, c.late());
        assertEquals(expected, Math.round(s.scheduled() * (100 - s.onTimePercent()) / 100));
        long amounts = c.lateAmount(LagCauses.PARK).getTotalCount() + c.lateAmount(LagCauses.SELECT).getTotalCount()
                + c.lateAmount(LagCauses.BUSY).getTotalCount();
        assertEquals(expected, amounts, "one amount recorded per late send");
        SendStats merged = s.copy();
        assertEquals(expected, merged.causes().late(), "a merge carries the causes");
        s.reset();
        assertEquals(0, c.late());
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --spin-before-send}: the I/O thread spins instead of parking through the last stretch before a
 * due send, and still never sends before the intended time. Correctness only: how much sooner sends
 * leave is for {@code tools/send-lag-check} on a quiet machine.
 */
class SpinBeforeSendTest {

    private static RunResult run(TestEchoServer server, long rateMsgsPerSec, int connections, Duration spin)
            throws Exception {
        ClientConfig base = server.config(connections, Duration.ofSeconds(1), Duration.ofMillis(300), rateMsgsPerSec);
        ClientConfig config = new ClientConfig(base.host(), base.port(), base.connections(), base.sizeBytes(),
                base.duration(), base.warmup(), base.mode(), base.rateMsgsPerSec(), base.maxInFlight(),
                base.pipeline(), base.connectRatePerSec(), List.of(), 1, base.arrivals(), 0, 0, spin);
        return new LoadRun(config, new RunListener() {}).run();
    }

    /**
     * The server reads each message's intended send time from its header as it arrives (one clock: the
     * client runs in this JVM), and the client counts any send with a negative lag: with a 500 us spin,
     * longer than the 250 us between sends, every send is released from the spin.
     */
    @Test
    void withTheSpinNoMessageLeavesBeforeItsIntendedTime() throws Exception {
        try (TestEchoServer server = TestEchoServer.checkingSendTimes()) {
            RunResult r = run(server, 4_000, 20, Duration.ofNanos(500_000));
            assertTrue(r.sends().scheduled() > 1_000, () -> "sends by the schedule: " + r.sends().scheduled());
            assertEquals(0, r.sends().early(), "sends the client released before their time");
            assertTrue(server.messagesChecked.get() > 1_000, () -> "messages checked: " + server.messagesChecked);
            assertEquals(0, server.arrivedBeforeIntended.get(), "messages the server read before their intended time");
            assertEquals(0, r.counters().integrityErrors());
        }
    }

    /**
     * The spin replaces the parks: with the spin longer than the gap between sends (500 us at 2,000 msg/s),
     * no park is left in the window and no echo is read after one; without it the same run parks.
     */
    @Test
    void aSpinLongerThanTheGapBetweenSendsLeavesNoParkInTheWindow() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            RunResult spinning = run(server, 2_000, 1, Duration.ofMillis(1));
            LagCauses s = spinning.sends().causes();
            // Enough sends that "no park" means something; not a rate: a clean-clone CI run, the spinning
            // client and its in-process server on 2 cores, got 453 of the 2,000 due in the 1 s window.
            assertTrue(spinning.sends().scheduled() > 100, () -> "sends: " + spinning.sends().scheduled());
            assertEquals(0, s.waitLateness(LagCauses.PARK).getTotalCount(), "parks in the window with the spin");
            assertEquals(0, s.echoesAfterPark());
            assertEquals(0, s.late(LagCauses.PARK));
            assertTrue(s.echoes() > 500, () -> "echoes read: " + s.echoes());

            RunResult parking = run(server, 2_000, 1, Duration.ZERO);
            assertTrue(parking.sends().causes().waitLateness(LagCauses.PARK).getTotalCount() > 0,
                    "without the spin the same run parks below 1 ms to the next send");
        }
    }
}

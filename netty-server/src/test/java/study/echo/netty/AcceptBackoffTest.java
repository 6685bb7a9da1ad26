package study.echo.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The listening channel's reaction to a failing accept, on an EmbeddedChannel with its own clock. */
class AcceptBackoffTest {

    /** A listener whose clock moves only when the test says so, however slow the machine. */
    private static EmbeddedChannel listener() {
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptBackoff());
        listener.freezeTime();
        return listener;
    }

    @Test
    void aFailedAcceptPausesAcceptingThenResumes() {
        EmbeddedChannel listener = listener();
        listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
        assertFalse(listener.config().isAutoRead(), "no retry at once: the connection is still in the backlog");

        listener.advanceTimeBy(AcceptBackoff.PAUSE_MILLIS - 10, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertFalse(listener.config().isAutoRead(), "still pausing");

        listener.advanceTimeBy(10, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertTrue(listener.config().isAutoRead(), "accepting again after the pause");
        assertTrue(listener.isOpen(), "the listener stays open");
    }

    @Test
    void oneWarningPerRunOfFailuresAndNoStackTraceAtTheTail() throws Exception {
        try (LogRecords log = new LogRecords(AcceptBackoff.class)) {
            EmbeddedChannel listener = listener();
            for (int i = 0; i < 3; i++) {
                listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
                listener.advanceTimeBy(AcceptBackoff.PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                listener.runScheduledPendingTasks();
            }
            listener.checkException(); // handled here, not passed on to the tail
            assertEquals(1, log.at(Level.WARNING).size(), "one line for the run: " + log.records);
            assertTrue(log.records.get(0).getMessage().startsWith("accept failed"));

            listener.pipeline().fireChannelRead("an accepted connection");
            assertEquals("an accepted connection", listener.readInbound());
            listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
            assertEquals(2, log.at(Level.WARNING).size(), "a new run of failures after a success is reported again");
        }
    }

    @Test
    void anythingButAnIoErrorIsNotItsBusiness() {
        EmbeddedChannel listener = listener();
        listener.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
        assertTrue(listener.config().isAutoRead());
        assertThrows(IllegalStateException.class, listener::checkException);
    }
}

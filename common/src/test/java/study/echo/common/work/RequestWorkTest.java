package study.echo.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import study.echo.common.BadOptionException;

class RequestWorkTest {
    @Test
    void completeBytesAreWholeRequests() {
        RequestWork work = new RequestWork(64, WorkSpec.NONE, 0);
        assertEquals(0, work.completeBytes(63));
        assertEquals(64, work.completeBytes(64));
        assertEquals(128, work.completeBytes(191));
    }

    @Test
    void handlesEachRequestOnceAndTalliesAtClose() throws InterruptedException {
        RequestWork work = new RequestWork(4, WorkSpec.parse("cpu:1us"), 10);
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 4, 5, 6, 7, 8});
        RequestWork.Connection connection = work.newConnection();
        connection.handleAll(buffer, 1, 8);
        assertEquals(0, work.requestsHandled(), "tallied only when the connection closes");
        connection.close();
        connection.close();
        long first = CpuHash.hash(buffer, 1, 4, 10);
        long second = CpuHash.hash(buffer, 5, 4, 10);
        assertEquals(2, work.requestsHandled());
        assertEquals(first * 31 + second, work.checksum());
        assertTrue(work.report().contains("2 requests handled"), work.report());
    }

    @Test
    void waitsPerRequest() throws InterruptedException {
        RequestWork work = new RequestWork(2, WorkSpec.parse("wait:20ms"), 0);
        long start = System.nanoTime();
        work.newConnection().handleAll(ByteBuffer.allocate(4), 0, 4);
        assertTrue(System.nanoTime() - start >= 40_000_000L, "two requests wait 20 ms each");
    }

    @Test
    void refusesWorkWithoutRequests() {
        BadOptionException e = assertThrows(BadOptionException.class, () -> new RequestWork(0, WorkSpec.parse("wait:1ms"), 0));
        assertTrue(e.getMessage().contains("--request-size"), e.getMessage());
        assertThrows(BadOptionException.class, () -> new RequestWork(-1, WorkSpec.NONE, 0));
        assertThrows(BadOptionException.class, () -> new RequestWork(64, WorkSpec.parse("cpu:1us"), 0));
        assertThrows(BadOptionException.class, () -> new RequestWork(64, WorkSpec.NONE, 5));
        assertFalse(RequestWork.echoOnly().framed());
    }
}

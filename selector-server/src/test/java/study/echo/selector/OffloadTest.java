package study.echo.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import study.echo.common.work.RequestWork;
import study.echo.common.work.WorkSpec;

/**
 * What offloading is for: the loop goes on serving while requests wait elsewhere, and the executor's
 * size sets how many wait at once. The margins are wide (a wave is 200 ms; a wave may spread over 150 ms
 * and the gap between waves shrink to 80 ms): they tell a structure apart, not a speed.
 */
@Timeout(120)
class OffloadTest {
    private static final int BUFFER_BYTES = 4096;
    private static final int REQUEST_BYTES = 64;

    /**
     * A's three requests, one read, one task of 1.5 s. B's request, sent 200 ms later, and that of C,
     * which connects 300 ms later, are answered about 500 ms after they were sent: the loop read and
     * registered them while A's task waited. On the loop, B and C would wait behind A's 1.5 s.
     */
    @Test
    void aSecondConnectionIsAnsweredAfterItsOwnWaitNotAfterTheFirstsAndTheLoopKeepsAccepting() throws Exception {
        RequestWork work = new RequestWork(REQUEST_BYTES, WorkSpec.parse("wait:500ms"), 0);
        try (ServedGroup served = new ServedGroup(BUFFER_BYTES, work, Offload.parse("platform:4"))) {
            Socket a = served.connect();
            Socket b = served.connect();
            long start = System.nanoTime();
            CompletableFuture<Long> aDone = send(a, 3, start);
            Thread.sleep(200);
            long bSent = System.nanoTime();
            CompletableFuture<Long> bDone = send(b, 1, bSent);
            Thread.sleep(100);
            long cConnecting = System.nanoTime();
            Socket c = served.connect();
            CompletableFuture<Long> cDone = send(c, 1, cConnecting);

            long bMillis = bDone.get(30, TimeUnit.SECONDS);
            long cMillis = cDone.get(30, TimeUnit.SECONDS);
            long aMillis = aDone.get(30, TimeUnit.SECONDS);
            assertTrue(aMillis >= 1450, "A's three waits of 500 ms took " + aMillis + " ms");
            assertTrue(bMillis >= 450 && bMillis < 1100, "B answered " + bMillis + " ms after it sent, not about 500");
            assertTrue(cMillis >= 450 && cMillis < 1100, "C answered " + cMillis + " ms after it connected, not about 500");
            assertTrue(served.shutDown());
            assertEquals(5, work.requestsHandled());
        }
    }

    /**
     * A client that resets while its request waits costs its connection only; at shutdown a request asleep
     * in a 10 s wait is interrupted, its connection closed under it, and it is still counted once.
     */
    @Test
    void closingAConnectionWithATaskInFlightIsSafeAndShutdownInterruptsTheWait() throws Exception {
        RequestWork work = new RequestWork(REQUEST_BYTES, WorkSpec.parse("wait:500ms"), 0);
        try (ServedGroup served = new ServedGroup(BUFFER_BYTES, work, Offload.parse("virtual"))) {
            Socket leaving = served.connect();
            Socket staying = served.connect();
            leaving.getOutputStream().write(new byte[REQUEST_BYTES]);
            Thread.sleep(200); // the loop has read it: the task waits
            leaving.setSoLinger(true, 0);
            leaving.close(); // a reset while the task waits: its echo goes to a closed peer
            assertTrue(send(staying, 2, System.nanoTime()).get(30, TimeUnit.SECONDS) >= 950, "still served, with its waits");
            assertTrue(served.shutDown());
            assertEquals(3, work.requestsHandled());
        }
        RequestWork sleeper = new RequestWork(REQUEST_BYTES, WorkSpec.parse("wait:10s"), 0);
        try (ServedGroup served = new ServedGroup(BUFFER_BYTES, sleeper, Offload.parse("platform:2"))) {
            Socket client = served.connect();
            send(client, 1, System.nanoTime());
            Thread.sleep(300);
            long start = System.nanoTime();
            assertTrue(served.shutDown(), "loop and executor stopped within 10 s");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5000, "the 10 s wait was interrupted, shutdown took " + millis + " ms");
            assertEquals(1, sleeper.requestsHandled(), "the interrupted request, counted once its task is back");
        }
    }

    /** A task that fails (here: its wait is cut short) closes its own connection; the others are served. */
    @Test
    void aFailingTaskClosesThatConnectionOnly() throws Exception {
        RequestWork work = new RequestWork(REQUEST_BYTES, WorkSpec.parse("wait:10ms"), 0);
        AtomicInteger tasks = new AtomicInteger();
        ExecutorService failingFirst = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread thread, Runnable task) {
                if (tasks.getAndIncrement() == 0) {
                    thread.interrupt(); // the first task's sleep throws at once
                }
            }
        };
        try (ServedGroup served = new ServedGroup(BUFFER_BYTES, work, failingFirst)) {
            Socket failing = served.connect();
            failing.getOutputStream().write(new byte[REQUEST_BYTES]);
            try {
                assertEquals(-1, failing.getInputStream().read(), "closed by the server, nothing echoed");
            } catch (java.net.SocketException reset) {
                // a reset is a close too
            }
            for (int i = 0; i < 3; i++) {
                Socket other = served.connect();
                send(other, 2, System.nanoTime()).get(30, TimeUnit.SECONDS);
            }
            assertTrue(served.shutDown());
            assertEquals(7, work.requestsHandled(), "the failed request counts as handled: it was begun");
        }
    }

    /** Eight connections, a pool of four, waits of 200 ms: two waves of four. */
    @Test
    void aPoolOfFourHandlesEightWaitsFourAtATime() throws Exception {
        long[] millis = completionMillis("platform:4", 8);
        String times = Arrays.toString(millis);
        assertTrue(millis[0] >= 190, "every request waited 200 ms: " + times);
        assertTrue(millis[3] - millis[0] < 150, "the first four wait together, not one at a time: " + times);
        assertTrue(millis[4] - millis[3] >= 80, "the second four wait for a thread of the pool: " + times);
        assertTrue(millis[7] - millis[4] < 150, "the second four wait together: " + times);
    }

    /** Eight connections, a virtual thread per task: one wave. */
    @Test
    void virtualThreadsHandleEightWaitsAtOnce() throws Exception {
        long[] millis = completionMillis("virtual", 8);
        String times = Arrays.toString(millis);
        assertTrue(millis[0] >= 190, "every request waited 200 ms: " + times);
        assertTrue(millis[7] - millis[0] < 150, "all eight wait together: " + times);
    }

    /** @return when each connection's echo completed, in ms from the first send, sorted */
    private static long[] completionMillis(String offload, int connections) throws Exception {
        RequestWork work = new RequestWork(REQUEST_BYTES, WorkSpec.parse("wait:200ms"), 0);
        try (ServedGroup served = new ServedGroup(BUFFER_BYTES, work, Offload.parse(offload))) {
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                clients.add(served.connect());
            }
            long start = System.nanoTime();
            List<CompletableFuture<Long>> done = new ArrayList<>();
            for (Socket client : clients) {
                done.add(send(client, 1, start));
            }
            long[] millis = new long[connections];
            for (int i = 0; i < connections; i++) {
                millis[i] = done.get(i).get(30, TimeUnit.SECONDS);
            }
            assertTrue(served.shutDown());
            assertEquals(connections, work.requestsHandled());
            Arrays.sort(millis);
            return millis;
        }
    }

    /**
     * Sends {@code requests} requests in one write, and reads their echo on a thread of its own.
     *
     * @return completes with the ms from {@code fromNanos} to the end of the echo
     */
    private static CompletableFuture<Long> send(Socket client, int requests, long fromNanos) throws Exception {
        byte[] message = new byte[requests * REQUEST_BYTES];
        Arrays.fill(message, (byte) requests);
        CompletableFuture<Long> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                byte[] echoed = client.getInputStream().readNBytes(message.length);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fromNanos);
                assertArrayEquals(message, echoed);
                done.complete(millis);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        client.getOutputStream().write(message);
        return done;
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --hold-idle N}: exactly N idle connections beside the active ones, and a lost one fails the run loudly. */
class HoldIdleTest {
    private static final int ACTIVE = 3;
    private static final int IDLE = 25;

    @TempDir
    Path dir;

    private String[] args(TestEchoServer server, Path csv) {
        return new String[] {"--target", server.target(), "--connections", Integer.toString(ACTIVE),
                "--hold-idle", Integer.toString(IDLE), "--size", "64", "--warmup", "0s", "--duration", "2s",
                "--pipeline", "1", "--client-threads", "1", "--quiet", "--csv", csv.toString()};
    }

    @Test
    void holdsExactlyTheIdleConnectionsBesideTheActiveOnes() throws Exception {
        Path csv = dir.resolve("held.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of(args(server, csv));
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals(ACTIVE + IDLE, server.accepted(), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            assertEquals(Integer.toString(IDLE), row.get("idle_held_connections"), row::toString);
            assertEquals("0", row.get("idle_lost_connections"), row::toString);
            assertTrue(Long.parseLong(row.get("messages")) > 0, row::toString);
            assertTrue(run.out().contains("25 connections held besides the active ones"), run::toString);
        }
    }

    @Test
    void anIdleConnectionClosedByTheServerMidRunFailsTheRunWithExitFive() throws Exception {
        Path csv = dir.resolve("lost.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            // The idle ones are opened first, so the server's first connection is an idle one: close it
            // once every connection is open, while the active ones are being measured.
            Thread closer = Thread.ofPlatform().daemon().start(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                try {
                    while (server.accepted() < ACTIVE + IDLE && System.nanoTime() - deadline < 0) Thread.sleep(10);
                    Thread.sleep(300);
                    server.closeConnection(0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ClientRun run = ClientRun.of(args(server, csv));
            closer.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals(ClientCommand.EXIT_IDLE_LOST, run.exitCode(), run::toString);
            assertTrue(run.err().contains("1 of " + IDLE + " idle connections (--hold-idle) were lost"), run::toString);
            assertEquals("1", ClientRun.lastCsvRow(csv).get("idle_lost_connections"));
        }
    }

    /**
     * The opening echoes overlap, a batch at a time: read one at a time, a poll(2) server's accepts of
     * 18,000 took over 5 minutes. This server answers the first byte of every connection only on a tick
     * every 200 ms and counts how many wait for it then: one at a time they would be 1.
     */
    @Test
    void theOpeningEchoesOverlapABatchAtATime() throws Exception {
        int idle = 2 * IdleHold.BATCH + 2;
        try (TickingServer server = new TickingServer()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "1", "--hold-idle",
                    Integer.toString(idle), "--connect-rate", "100000", "--size", "64", "--warmup", "0s",
                    "--duration", "1s", "--pipeline", "1", "--client-threads", "1", "--quiet");
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(server.maxWaiting() > 1, "first bytes waiting at once: " + server.maxWaiting());
            assertTrue(server.maxWaiting() <= IdleHold.BATCH + 1, "first bytes waiting at once: " + server.maxWaiting());
        }
    }

    /** Echoes everything, but the first byte of each connection only on its 200 ms tick. */
    private static final class TickingServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1024,
                InetAddress.getLoopbackAddress());
        private final LinkedBlockingQueue<CountDownLatch> waiting =
                new LinkedBlockingQueue<>();
        private final AtomicInteger maxWaiting = new AtomicInteger();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;
        private final Thread ticker;

        TickingServer() throws IOException {
            acceptor = Thread.ofPlatform().daemon().start(this::accept);
            ticker = Thread.ofPlatform().daemon().start(this::tick);
        }

        String target() {
            return "127.0.0.1:" + listener.getLocalPort();
        }

        int maxWaiting() {
            return maxWaiting.get();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = listener.accept();
                    sockets.add(s);
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException closed) {
                // The test is over.
            }
        }

        private void serve(Socket s) {
            try (s) {
                var in = s.getInputStream();
                var out = s.getOutputStream();
                int first = in.read();
                if (first < 0) return;
                CountDownLatch released = new CountDownLatch(1);
                waiting.add(released);
                released.await();
                out.write(first);
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
            } catch (IOException | InterruptedException e) {
                // The client closed it, or the test is over.
            }
        }

        private void tick() {
            try {
                while (true) {
                    Thread.sleep(200);
                    List<CountDownLatch> now = new ArrayList<>();
                    waiting.drainTo(now);
                    maxWaiting.accumulateAndGet(now.size(), Math::max);
                    now.forEach(CountDownLatch::countDown);
                }
            } catch (InterruptedException e) {
                // The test is over.
            }
        }

        @Override
        public void close() throws IOException {
            ticker.interrupt();
            listener.close();
            for (Socket s : sockets) s.close();
        }
    }

    @Test
    void tooManyIsABadOption() {
        ClientRun run = ClientRun.of("--connections", "10", "--hold-idle", "-1", "--duration", "1s");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--hold-idle must be between 0 and"), run::toString);
    }
}

package study.echo.loom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import study.echo.common.EchoServer;
import study.echo.common.ServerConfig;

/**
 * A virtual thread that blocks while pinned to its carrier (inside {@code synchronized} on JDK 21, or
 * under a native frame) holds that carrier, and a few of them stall the whole server. JFR reports each
 * such block as {@code jdk.VirtualThreadPinned}; serving echo traffic must report none. The events are
 * filtered to the server's connection threads; so that a filter that matched nothing cannot pass the
 * test, the same filter must see those threads start ({@code jdk.VirtualThreadStart}).
 */
@Timeout(60)
class NoPinningTest {

    private static final int CLIENTS = 20;

    /** The server's connection threads, not the test's own. */
    private static boolean onConnectionThread(RecordedEvent e) {
        return e.getThread() != null && String.valueOf(e.getThread().getJavaName()).startsWith("conn-");
    }

    /**
     * JFR's own commit of the start event this test enables may block on a JFR buffer while the new
     * thread is pinned (its top frame is {@code jdk.internal.event.VirtualThreadStartEvent.commit}): a
     * pin of the instrument, not of the server, seen once on a busy machine.
     */
    private static boolean inJfrItself(RecordedEvent e) {
        var stack = e.getStackTrace();
        return stack != null && !stack.getFrames().isEmpty()
                && stack.getFrames().get(0).getMethod().getType().getName().startsWith("jdk.internal.event.");
    }

    @Test
    void servingConnectionsNeverBlocksAPinnedVirtualThread() throws Exception {
        List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
        List<RecordedEvent> started = new CopyOnWriteArrayList<>();
        EchoServer server = EchoServer.start(new ServerConfig("127.0.0.1", 0, 4096, 128),
                new ThreadPerConnectionDispatcher(ThreadMode.VIRTUAL, 4096));
        InetSocketAddress address = server.localAddress();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            // Warm up first: the first virtual threads to park wait for sun.nio.ch.Poller's class
            // initialisation, and a wait for a class initialiser pins (JEP 491 leaves that case). It
            // happens once per JVM; the steady state is what matters.
            serve(clients, address, 5);
            try (RecordingStream jfr = new RecordingStream()) {
                jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                jfr.enable("jdk.VirtualThreadStart");
                jfr.onEvent("jdk.VirtualThreadPinned", e -> {
                    if (onConnectionThread(e) && !inJfrItself(e)) pinned.add(e);
                });
                jfr.onEvent("jdk.VirtualThreadStart", e -> {
                    if (onConnectionThread(e)) started.add(e);
                });
                jfr.startAsync();
                serve(clients, address, 50);
                // Events reach the stream asynchronously; give them a moment before judging.
                Thread.sleep(1500);
            }
        } finally {
            assertTrue(server.shutdown(Duration.ofSeconds(5)), "connections closed within the grace period");
        }
        assertTrue(started.size() >= CLIENTS, "the filter must see the server's " + CLIENTS
                + " connection threads start, or it would pass whatever pins; it saw " + started.size());
        assertEquals(List.of(), pinned.stream().map(e -> e.getStackTrace() == null ? e.toString()
                : e.getStackTrace().getFrames().toString()).toList(), "pinned virtual threads");
    }

    private static void serve(ExecutorService clients, InetSocketAddress address, int rounds) throws Exception {
        List<Future<Integer>> done = new java.util.ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            done.add(clients.submit(() -> echoRounds(address, rounds)));
        }
        for (Future<Integer> f : done) {
            assertEquals(rounds, f.get(30, TimeUnit.SECONDS));
        }
    }

    private static int echoRounds(InetSocketAddress address, int rounds) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(20_000);
            socket.connect(address, 10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] message = new byte[256];
            for (int i = 0; i < rounds; i++) {
                message[0] = (byte) i;
                out.write(message);
                assertArrayEquals(message, in.readNBytes(message.length));
            }
            return rounds;
        }
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The open loop's schedule and how it tells the two kinds of delayed send apart: held by the
 * in-flight cap, or late because the client itself fell behind. Driven with a chosen "now", against a
 * real loopback socket whose peer never reads (the few bytes fit in the socket buffers).
 */
class OpenLoopScheduleTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel peer;
    private Selector selector;
    private final Counters counters = new Counters();

    @BeforeEach
    void connect() throws Exception {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        peer = server.accept();
        client.configureBlocking(false);
        selector = Selector.open();
    }

    @AfterEach
    void close() throws Exception {
        selector.close();
        client.close();
        peer.close();
        server.close();
    }

    private Connection connection(int id) throws Exception {
        Connection c = new Connection(id, client, 64, new LatencyRecorders(false), counters, ByteBuffer.allocate(4096));
        c.attach(client.register(selector, SelectionKey.OP_READ, c));
        return c;
    }

    @Test
    void messagesAreEvenlySpacedAcrossConnections() throws Exception {
        OpenLoop loop = new OpenLoop(1000, 4, 1);
        long start = 1_000 * MS;
        loop.begin(List.of(), new RunClock(start, start, start + 1_000 * MS), start);
        // 1000 msg/s over 4 connections: every 1 ms one of them, each connection every 4 ms.
        assertEquals(start, loop.intendedNanos(0, 0));
        assertEquals(start + MS, loop.intendedNanos(1, 0));
        assertEquals(start + 3 * MS, loop.intendedNanos(3, 0));
        assertEquals(start + 4 * MS, loop.intendedNanos(0, 1));
        assertEquals(start + 4_001 * MS, loop.intendedNanos(1, 1_000));
    }

    @Test
    void aSendThatWaitsForTheCapIsCappedNotLate() throws Exception {
        Connection c = connection(0);
        OpenLoop loop = new OpenLoop(1000, 1, 1);
        long start = System.nanoTime();
        loop.begin(List.of(c), new RunClock(start, start, start + 1_000 * MS), start);
        assertEquals(1, loop.releaseDue(start), "the first message is due at the start");
        assertEquals(1, c.inFlight());
        // 10 ms later, nothing echoed: ten more came due and wait for the cap.
        assertEquals(10, loop.releaseDue(start + 10 * MS));
        assertEquals(1, c.inFlight());
        assertEquals(10, c.backlog);
        assertEquals(10, loop.stats().capped());
        assertEquals(0, loop.stats().late());
        // An echo returns: the next held message goes out at once.
        echoOneMessage(c);
        loop.onEchoed(c, 1, start + 10 * MS);
        assertEquals(9, c.backlog);
        assertEquals(0, loop.stats().late());
        assertEquals(start + MS, loop.nextDueNanos() - 10 * MS);
    }

    /** The peer echoes one 64-byte message and the connection reads it back. */
    private void echoOneMessage(Connection c) throws Exception {
        ByteBuffer message = ByteBuffer.allocate(64);
        while (message.hasRemaining()) {
            peer.read(message);
        }
        peer.write(message.flip());
        ByteBuffer readBuffer = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int completed = 0;
        while (completed == 0 && System.nanoTime() < deadline) {
            completed = c.read(readBuffer, System.nanoTime());
            Thread.sleep(1);
        }
        assertEquals(1, completed);
        assertEquals(0, counters.integrityErrors());
    }

    @Test
    void aClientThatFallsBehindCountsLateSendsAndHowFarBehind() throws Exception {
        Connection c = connection(0);
        OpenLoop loop = new OpenLoop(1000, 1, 0);
        long start = System.nanoTime();
        loop.begin(List.of(c), new RunClock(start, start, start + 1_000 * MS), start);
        // The client wakes 10 ms late: with no cap all eleven go out now, ten of them more than 1 ms late.
        assertEquals(11, loop.releaseDue(start + 10 * MS));
        assertEquals(11, c.inFlight());
        assertEquals(9, loop.stats().late(), "1 ms behind is not late; 2 ms and more is");
        assertEquals(0, loop.stats().capped());
        assertEquals(10 * MS, loop.stats().lagNanos().getMaxValue(), MS / 100);
    }

    @Test
    void warmupSendsTakeTheSamePathAsMeasuredOnes() throws Exception {
        // The warm-up must run the branches the window runs (else the JIT compiles them only when the
        // window opens): its sends are counted alike, and the I/O thread resets the counts at the window.
        Connection c = connection(0);
        OpenLoop loop = new OpenLoop(1000, 1, 0);
        long start = System.nanoTime();
        loop.begin(List.of(c), new RunClock(start, start + 100 * MS, start + 1_000 * MS), start);
        assertEquals(11, loop.releaseDue(start + 10 * MS));
        assertEquals(9, loop.stats().late());
        assertEquals(11, loop.stats().scheduled());
        assertEquals(10 * MS, loop.stats().lagNanos().getMaxValue(), MS / 100);
        loop.stats().reset();
        assertEquals(0, loop.stats().late());
        assertEquals(0, loop.stats().scheduled());
    }

    @Test
    void burstsSendExactlyNBackToBackInOneWrite() throws Exception {
        Connection c = connection(0);
        // 1,000 msg/s on one connection in bursts of 4: 4 messages every 4 ms.
        OpenLoop loop = new OpenLoop(Arrivals.of(ArrivalPattern.parse("bursts:4"), 1000, 1, SECOND_NANOS, 0), 0);
        long start = System.nanoTime();
        loop.begin(List.of(c), new RunClock(start, start, start + 1_000 * MS), start);
        assertEquals(4, loop.releaseDue(start));
        assertEquals(4, c.inFlight());
        assertEquals(4, loop.stats().scheduled());
        assertEquals(0, loop.stats().late(), "all four at their one intended time");
        assertEquals(0, loop.releaseDue(start + 4 * MS - 1), "nothing between ticks");
        assertEquals(start + 4 * MS, loop.nextDueNanos());
        // The four went out together: the peer finds exactly 4 x 64 bytes, with their sequence numbers.
        ByteBuffer got = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        peer.configureBlocking(false);
        while (got.position() < 4 * 64 && System.nanoTime() < deadline) {
            peer.read(got);
        }
        Thread.sleep(20);
        peer.read(got);
        assertEquals(4 * 64, got.position());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, got.getLong(i * 64 + 4), "sequence number of message " + i);
            assertEquals(start, got.getLong(i * 64 + 12), "one intended time for the burst");
        }
        assertEquals(4, loop.releaseDue(start + 4 * MS));
        assertEquals(8, c.inFlight());
    }

    @Test
    void burstsTakeTurnsAcrossTheConnectionsOfAThread() throws Exception {
        try (SocketChannel second = SocketChannel.open(server.getLocalAddress());
             SocketChannel secondPeer = server.accept()) {
            second.configureBlocking(false);
            Connection c0 = connection(0);
            Connection c1 = new Connection(1, second, 64, new LatencyRecorders(false), counters, ByteBuffer.allocate(4096));
            c1.attach(second.register(selector, SelectionKey.OP_READ, c1));
            // 1,000 msg/s over 2 connections in bursts of 3: c0 at 0 ms, c1 at 3 ms, c0 again at 6 ms.
            OpenLoop loop = new OpenLoop(Arrivals.of(ArrivalPattern.parse("bursts:3"), 1000, 2, SECOND_NANOS, 0), 0);
            long start = System.nanoTime();
            loop.begin(List.of(c0, c1), new RunClock(start, start, start + 1_000 * MS), start);
            assertEquals(3, loop.releaseDue(start));
            assertEquals(3, c0.inFlight());
            assertEquals(0, c1.inFlight());
            assertEquals(start + 3 * MS, loop.nextDueNanos());
            assertEquals(3, loop.releaseDue(start + 3 * MS));
            assertEquals(3, c1.inFlight());
            assertEquals(start + 6 * MS, loop.nextDueNanos());
        }
    }

    /** The I/O thread ends the schedule when it closes the window, so the send path tests no end of its own. */
    @Test
    void nothingIsDueAfterTheEnd() throws Exception {
        Connection c = connection(0);
        OpenLoop loop = new OpenLoop(1000, 1, 0);
        long start = System.nanoTime();
        loop.begin(List.of(c), new RunClock(start, start, start + 5 * MS), start);
        assertEquals(5, loop.releaseDue(start + 4 * MS));
        loop.end();
        assertEquals(Long.MAX_VALUE, loop.nextDueNanos());
        assertEquals(0, loop.releaseDue(start + 50 * MS));
        assertTrue(c.isOpen());
    }
}

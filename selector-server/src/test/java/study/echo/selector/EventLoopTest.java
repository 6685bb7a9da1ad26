package study.echo.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Drives one loop pass at a time through {@link EventLoop#doWork}, with no loop thread at all. */
@Timeout(60)
class EventLoopTest {
    private static final int BUFFER_BYTES = 4096;

    private ServerSocketChannel listener;
    private EventLoop loop;

    @BeforeEach
    void setUp() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        loop = new EventLoop(BUFFER_BYTES);
    }

    @AfterEach
    void tearDown() throws IOException {
        loop.stop();
        loop.run(); // returns at once, closing every connection and the selector
        listener.close();
    }

    private SocketChannel connectAndRegister(int clientBufferBytes) throws IOException {
        SocketChannel client = SocketChannel.open();
        if (clientBufferBytes > 0) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, clientBufferBytes);
            client.setOption(StandardSocketOptions.SO_SNDBUF, clientBufferBytes);
        }
        client.connect(listener.getLocalAddress());
        loop.register(listener.accept());
        return client;
    }

    @Test
    void aPassWithNothingToDoReportsNoWork() throws IOException {
        assertEquals(0, loop.doWork(0));
    }

    @Test
    void aPassCountsRegistrationsAndReadyConnections() throws IOException {
        SocketChannel client = connectAndRegister(0);
        assertEquals(1, loop.doWork(0), "one connection registered");
        client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertEquals(1, loop.doWork(10_000), "one ready connection served");
        ByteBuffer echoed = ByteBuffer.allocate(3);
        while (echoed.hasRemaining()) {
            client.read(echoed);
        }
        assertArrayEquals(new byte[] {1, 2, 3}, echoed.array());
        client.close();
    }

    @Test
    void stopsReadingWhileOutputIsPendingAndLosesNothing() throws IOException {
        SocketChannel client = connectAndRegister(8192);
        loop.doWork(0);
        EchoConnection connection = onlyConnection();
        client.configureBlocking(false);

        byte[] sent = new byte[16 << 20];
        new Random(1).nextBytes(sent);
        ByteBuffer out = ByteBuffer.wrap(sent);
        // Write without reading until the server holds output back. TCP timers (delayed ACKs, window
        // probes) pace loopback here, so the phases are bounded in time rather than in passes.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connection.hasPendingOutput() && System.nanoTime() < deadline) {
            writeSome(client, out);
            loop.doWork(10);
        }
        assertTrue(connection.hasPendingOutput(), "the server met backpressure");
        long holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < holdUntil) {
            writeSome(client, out);
            loop.doWork(10);
            assertEquals(SelectionKey.OP_WRITE, connection.interestOps(), "no OP_READ while output is pending");
            assertTrue(connection.heldBytes() <= BUFFER_BYTES, "held " + connection.heldBytes() + " bytes, more than --buffer-size");
        }
        assertTrue(out.hasRemaining(), "the server stopped taking bytes from a client that does not read");

        // Now read: every byte comes back, in order, and the server reads again.
        ByteBuffer in = ByteBuffer.allocate(sent.length);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (in.hasRemaining() && System.nanoTime() < deadline) {
            writeSome(client, out);
            loop.doWork(1);
            client.read(in);
        }
        assertFalse(in.hasRemaining(), "all " + sent.length + " bytes came back");
        assertArrayEquals(sent, in.array());
        passUntil(() -> !connection.hasPendingOutput(), 100);
        assertEquals(0, connection.heldBytes(), "a connection with nothing pending holds no buffer");
        client.close();
    }

    /**
     * The pending output is as large as what the socket did not take, not a whole --buffer-size: with a
     * 16 MiB buffer, a stalled client whose last read was small must not cost 16 MiB of heap.
     */
    @Test
    void pendingOutputIsOnlyAsLargeAsWhatIsPending() throws IOException {
        List<Integer> allocations = new ArrayList<>();
        EventLoop big = new EventLoop(16 << 20, bytes -> {
            allocations.add(bytes);
            return ByteBuffer.allocate(bytes);
        }, () -> {});
        try (SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            client.connect(listener.getLocalAddress());
            SocketChannel accepted = listener.accept();
            accepted.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            big.register(accepted);
            big.doWork(0);
            EchoConnection connection = big.connections().getFirst();
            client.configureBlocking(false);
            // Messages of 1,000 bytes, one at a time, until the server cannot send one back at once.
            ByteBuffer message = ByteBuffer.allocate(1000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!connection.hasPendingOutput() && System.nanoTime() < deadline) {
                message.clear();
                client.write(message);
                big.doWork(10);
            }
            assertTrue(connection.hasPendingOutput(), "the server met backpressure");
            assertFalse(allocations.isEmpty());
            // A read may take two or three messages at once, never anything near the 16 MiB buffer.
            assertTrue(allocations.stream().allMatch(bytes -> bytes <= 64 << 10),
                    "pending allocations " + allocations + " are larger than what was read");
            assertTrue(connection.heldBytes() <= 64 << 10, "held " + connection.heldBytes());
        } finally {
            big.stop();
            big.run();
        }
    }

    /**
     * The fault of the issue: OutOfMemoryError in EchoConnection.holdBack. It closes that connection;
     * the pass goes on and the loop serves the others.
     */
    @Test
    void aConnectionsErrorClosesThatConnectionOnlyAndThePassGoesOn() throws IOException {
        EventLoop faulty = new EventLoop(BUFFER_BYTES, bytes -> {
            throw new OutOfMemoryError("Java heap space");
        }, () -> {});
        try (SocketChannel hog = SocketChannel.open(); SocketChannel other = SocketChannel.open()) {
            hog.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            hog.connect(listener.getLocalAddress());
            SocketChannel accepted = listener.accept();
            accepted.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            faulty.register(accepted);
            other.connect(listener.getLocalAddress());
            faulty.register(listener.accept());
            assertEquals(2, faulty.doWork(0));

            hog.configureBlocking(false);
            ByteBuffer out = ByteBuffer.allocate(4 << 20);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (faulty.connectionCount() == 2 && System.nanoTime() < deadline) {
                writeSome(hog, out);
                faulty.doWork(10); // must not throw
            }
            assertEquals(1, faulty.connectionCount(), "the connection that ran out of memory was closed");
            assertThrows(IOException.class, () -> {
                ByteBuffer sink = ByteBuffer.allocate(64 << 10);
                while (System.nanoTime() < deadline) {
                    if (hog.read(sink.clear()) < 0) {
                        throw new IOException("end of stream");
                    }
                }
            }, "the hog sees its connection closed");

            other.write(ByteBuffer.wrap(new byte[] {4, 5, 6}));
            ByteBuffer echoed = ByteBuffer.allocate(3);
            for (int pass = 0; pass < 1000 && echoed.hasRemaining(); pass++) {
                faulty.doWork(10);
                other.configureBlocking(false);
                other.read(echoed);
            }
            assertArrayEquals(new byte[] {4, 5, 6}, echoed.array(), "the other connection is still served");
        } finally {
            faulty.stop();
            faulty.run();
        }
    }

    @Test
    void endOfStreamClosesTheConnection() throws IOException {
        SocketChannel client = connectAndRegister(0);
        loop.doWork(0);
        client.shutdownOutput();
        passUntil(() -> loop.connectionCount() == 0, 10_000);
        assertEquals(0, loop.connectionCount());
        assertEquals(-1, client.read(ByteBuffer.allocate(1)));
        client.close();
    }

    /**
     * Writes at most 64 KiB. A heap buffer is copied whole into a temporary direct buffer on every
     * write, so offering all 16 MiB each time would make the test needlessly slow.
     */
    private static int writeSome(SocketChannel client, ByteBuffer out) throws IOException {
        int limit = out.limit();
        out.limit(Math.min(limit, out.position() + (64 << 10)));
        try {
            return client.write(out);
        } finally {
            out.limit(limit);
        }
    }

    private EchoConnection onlyConnection() {
        return loop.connections().iterator().next();
    }

    private void passUntil(BooleanSupplier done, int maxPasses) throws IOException {
        for (int pass = 0; pass < maxPasses && !done.getAsBoolean(); pass++) {
            loop.doWork(10);
        }
    }
}

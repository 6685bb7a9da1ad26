package study.echo.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loops on their own threads, as the server runs them; the test plays the accept thread. */
@Timeout(120)
class EventLoopGroupTest {
    private static final int BUFFER_BYTES = 4096;

    private ServerSocketChannel listener;
    private final List<Socket> clients = new ArrayList<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private EventLoopGroup group;

    @BeforeEach
    void setUp() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.closeAll();
            assertTrue(group.awaitTermination(Duration.ofSeconds(10)), "loops stopped");
        }
        for (Socket client : clients) {
            client.close();
        }
        listener.close();
    }

    private void start(EventLoopGroup.LoopFactory loops, int loopCount) throws IOException {
        group = new EventLoopGroup(loopCount, loops);
        group.start((part, cause) -> failure.complete(part + ": " + cause));
    }

    /** Connects a client and deals the accepted channel, as the accept thread does. */
    private Socket connectAndDispatch(int receiveBufferBytes) throws IOException {
        Socket client = new Socket();
        clients.add(client);
        if (receiveBufferBytes > 0) {
            client.setReceiveBufferSize(receiveBufferBytes);
        }
        client.setSoTimeout(20_000);
        client.connect(listener.getLocalAddress());
        group.dispatch(listener.accept());
        return client;
    }

    @Test
    void anOutOfMemoryErrorOnOneConnectionLeavesTheLoopServingTheOthers() throws Exception {
        AtomicInteger allocations = new AtomicInteger();
        start(index -> new EventLoop(BUFFER_BYTES, bytes -> {
            if (allocations.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Java heap space");
            }
            return ByteBuffer.allocate(bytes);
        }, () -> {}), 1);
        SocketChannel hog = SocketChannel.open();
        hog.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
        hog.connect(listener.getLocalAddress());
        group.dispatch(listener.accept());
        // Write without reading until the server, unable to hold the rest back, closes the connection.
        // Non-blocking, so that a server that stops reading instead fails the test at the deadline.
        hog.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean closedByServer = false;
        try (hog) {
            while (System.nanoTime() < deadline) {
                hog.write(chunk.clear());
                Thread.sleep(1);
            }
        } catch (IOException expected) {
            closedByServer = true; // reset: the connection that ran out of memory was closed
        }
        assertTrue(closedByServer, "the server closed the connection that ran out of memory");

        for (int i = 0; i < 3; i++) {
            Socket other = connectAndDispatch(0);
            byte[] message = ("still served " + i).getBytes();
            other.getOutputStream().write(message);
            assertArrayEquals(message, other.getInputStream().readNBytes(message.length));
        }
        assertEquals(null, failure.getNow(null), "a connection's fault does not fail the loop");
    }

    @Test
    void aLoopThatCannotGoOnReportsItClosesItsConnectionsAndIsDealtNoMore() throws Exception {
        start(index -> new EventLoop(BUFFER_BYTES, ByteBuffer::allocate, index == 0 ? () -> {
            throw new IllegalStateException("selector broken");
        } : () -> {}), 2);
        // Dealt to loop 0 while it still retries, then to loop 1.
        Socket onBrokenLoop = connectAndDispatch(0);
        Socket onGoodLoop = connectAndDispatch(0);

        String reported = failure.get(60, TimeUnit.SECONDS);
        assertTrue(reported.startsWith("event loop event-loop-0: java.lang.IllegalStateException: selector broken"), reported);
        assertClosedByServer(onBrokenLoop.getInputStream());

        // Every further connection goes to loop 1, and is served.
        for (int i = 0; i < 4; i++) {
            Socket next = connectAndDispatch(0);
            byte[] message = ("after the failure " + i).getBytes();
            next.getOutputStream().write(message);
            assertArrayEquals(message, next.getInputStream().readNBytes(message.length));
        }
        onGoodLoop.getOutputStream().write(7);
        assertEquals(7, onGoodLoop.getInputStream().read());
    }

    private static void assertClosedByServer(InputStream in) throws IOException {
        try {
            assertEquals(-1, in.read(), "closed by the server");
        } catch (SocketException reset) {
            assertNotNull(reset); // a reset is a close too
        }
    }
}

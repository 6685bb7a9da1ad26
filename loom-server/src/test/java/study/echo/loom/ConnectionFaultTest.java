package study.echo.loom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import study.echo.common.EchoServer;
import study.echo.common.ServerConfig;

/**
 * Under many clients that write and never read, a thread-per-connection server runs out of memory:
 * of direct memory for the buffers (loom-virtual with 16 MiB buffers and a small heap) or of threads
 * (loom-platform). Deliberately, that costs the connection that met it, which is closed (its client sees
 * a reset), and nothing else: the accept thread goes on, and so does every other connection.
 */
@Timeout(60)
class ConnectionFaultTest {
    private static final int BUFFER_BYTES = 4096;

    @Test
    void aConnectionThatCannotGetItsBufferIsClosedAndTheNextOnesAreServed() throws Exception {
        AtomicInteger buffers = new AtomicInteger();
        Supplier<ByteBuffer> failingFirst = () -> {
            if (buffers.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Cannot reserve 16777216 bytes of direct buffer memory");
            }
            return ByteBuffer.allocateDirect(BUFFER_BYTES);
        };
        ThreadPerConnectionDispatcher dispatcher =
                new ThreadPerConnectionDispatcher(ThreadMode.VIRTUAL.factory(), failingFirst);
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger(ThreadPerConnectionDispatcher.class.getName());
        log.addHandler(capture);
        try {
            assertOnlyTheFirstConnectionIsLost(dispatcher);
        } finally {
            log.removeHandler(capture);
        }
        // Handled on purpose, as one line: not left to the thread's uncaught-exception handler's stack trace.
        assertEquals(1, logged.size(), "one record for the one lost connection");
        assertEquals(Level.WARNING, logged.getFirst().getLevel());
        assertNull(logged.getFirst().getThrown(), "no stack trace for running out of memory");
    }

    @Test
    void aConnectionThatCannotGetAThreadIsClosedAndTheAcceptorGoesOn() throws Exception {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory platform = ThreadMode.PLATFORM.factory();
        // What Thread.start throws when the process may have no more native threads.
        ThreadFactory failingFirst = task -> threads.getAndIncrement() == 0
                ? new Thread(task) {
                    @Override
                    public void start() {
                        throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
                    }
                }
                : platform.newThread(task);
        ThreadPerConnectionDispatcher dispatcher = new ThreadPerConnectionDispatcher(failingFirst,
                () -> ByteBuffer.allocateDirect(BUFFER_BYTES));
        assertOnlyTheFirstConnectionIsLost(dispatcher);
    }

    private static void assertOnlyTheFirstConnectionIsLost(ThreadPerConnectionDispatcher dispatcher) throws Exception {
        EchoServer server = EchoServer.start(new ServerConfig("127.0.0.1", 0, BUFFER_BYTES, 16), dispatcher);
        InetSocketAddress address = server.localAddress();
        try (Socket lost = connect(address)) {
            lost.getOutputStream().write(new byte[100]);
            assertClosedByServer(lost);
            for (int i = 0; i < 3; i++) {
                try (Socket served = connect(address)) {
                    byte[] message = ("message " + i).getBytes();
                    served.getOutputStream().write(message);
                    assertArrayEquals(message, served.getInputStream().readNBytes(message.length));
                }
            }
        } finally {
            assertTrue(server.shutdown(Duration.ofSeconds(5)), "shut down within the grace period");
        }
        assertNull(server.failure().getNow(null), "a connection's fault does not fail the server");
        assertEquals(0, dispatcher.openConnections(), "no connection left behind");
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(20_000);
        socket.connect(address, 10_000);
        return socket;
    }

    private static void assertClosedByServer(Socket socket) throws IOException {
        try {
            assertEquals(-1, socket.getInputStream().read(), "closed by the server");
        } catch (SocketException reset) {
            // A reset is a close too: the server closed with the client's bytes unread.
        }
    }
}

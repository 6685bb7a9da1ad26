package study.echo.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import study.echo.common.work.RequestWork;
import study.echo.common.work.WorkSpec;

/**
 * A client that writes and does not read, against a handler that waits: the server holds at most one
 * read of requests plus one partial request for it, never reads it while a task is in flight or output
 * is pending, and loses no request once the client reads. The test thread is the loop
 * ({@link EventLoop#doWork}), so it can look at the connection between passes.
 */
@Timeout(120)
class OffloadBackpressureTest {
    private static final int BUFFER_BYTES = 4096;
    private static final int REQUEST_BYTES = 1000; // a read of 4096 bytes ends mid-request

    @ParameterizedTest
    @ValueSource(strings = {"none", "platform:2", "virtual"})
    void aClientThatDoesNotReadIsHeldAtOneReadAndLosesNoRequest(String offloadText) throws Exception {
        Offload offload = Offload.parse(offloadText);
        ExecutorService executor = offload.isNone() ? null : offload.newExecutor();
        RequestWork work = new RequestWork(REQUEST_BYTES, WorkSpec.parse("wait:1ms"), 0);
        EventLoop loop = new EventLoop(BUFFER_BYTES, work, executor);
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             SocketChannel client = SocketChannel.open()) {
            // Small socket buffers at both ends, so that the kernel holds little of the 2 MB in flight.
            listener.setOption(StandardSocketOptions.SO_RCVBUF, 8192).bind(new InetSocketAddress("127.0.0.1", 0));
            client.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            client.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            client.connect(listener.getLocalAddress());
            SocketChannel accepted = listener.accept();
            accepted.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            loop.register(accepted);
            loop.doWork(0);
            RequestConnection connection = (RequestConnection) loop.connections().getFirst();
            client.configureBlocking(false);

            byte[] sent = new byte[2000 * REQUEST_BYTES]; // 2 s of waits in all
            new Random(3).nextBytes(sent);
            ByteBuffer out = ByteBuffer.wrap(sent);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!connection.hasPendingOutput() && System.nanoTime() < deadline) {
                writeSome(client, out);
                passAndCheck(loop, connection);
            }
            assertTrue(connection.hasPendingOutput(), "the server met backpressure");
            long holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < holdUntil) {
                writeSome(client, out);
                passAndCheck(loop, connection);
            }
            assertTrue(out.hasRemaining(), "the server stopped taking requests from a client that does not read");

            ByteBuffer in = ByteBuffer.allocate(sent.length);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (in.hasRemaining() && System.nanoTime() < deadline) {
                writeSome(client, out);
                passAndCheck(loop, connection);
                client.read(in);
            }
            assertFalse(in.hasRemaining(), "all " + sent.length / REQUEST_BYTES + " requests came back");
            assertArrayEquals(sent, in.array());
        } finally {
            loop.stop();
            loop.run();
            if (executor != null) {
                executor.shutdownNow();
                assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
                loop.finishAbandonedTasks();
            }
        }
        assertEquals(2000, work.requestsHandled(), work.report());
    }

    private static void passAndCheck(EventLoop loop, RequestConnection connection) throws IOException {
        loop.doWork(10);
        if (connection.hasPendingOutput() || connection.hasTaskInFlight()) {
            assertEquals(0, connection.interestOps() & SelectionKey.OP_READ,
                    "no OP_READ while output is pending or a task is in flight");
        }
        assertTrue(connection.heldBytes() <= BUFFER_BYTES + REQUEST_BYTES,
                "held " + connection.heldBytes() + " bytes, more than one read and one partial request");
    }

    private static void writeSome(SocketChannel client, ByteBuffer out) throws IOException {
        int limit = out.limit();
        out.limit(Math.min(limit, out.position() + (64 << 10)));
        try {
            client.write(out);
        } finally {
            out.limit(limit);
        }
    }
}

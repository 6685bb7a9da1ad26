package study.echo.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EchoServerTest {

    /**
     * Handing a connection over can fail for want of memory or threads ("unable to create native thread"
     * when a platform thread per connection runs the machine out). That must cost the one connection, not
     * the accept thread: before, the Error ended it and the server went on listening, accepting nothing.
     */
    @Test
    void aDispatchThatThrowsAnErrorClosesThatConnectionAndAcceptingGoesOn() throws Exception {
        BlockingQueue<SocketChannel> taken = new LinkedBlockingQueue<>();
        AtomicInteger dispatches = new AtomicInteger();
        ConnectionDispatcher failingFirst = new ServerRunnerTest.ClosingDispatcher() {
            @Override
            public void dispatch(SocketChannel channel) {
                if (dispatches.getAndIncrement() == 0) {
                    throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
                }
                taken.add(channel);
            }
        };
        EchoServer server = EchoServer.start(new ServerConfig("127.0.0.1", 0, 4096, 16), failingFirst);
        int port = server.localAddress().getPort();
        try (Socket first = new Socket("127.0.0.1", port)) {
            first.setSoTimeout(20_000);
            assertClosed(first.getInputStream());
            for (int i = 0; i < 3; i++) {
                try (Socket next = new Socket("127.0.0.1", port)) {
                    SocketChannel channel = taken.poll(20, TimeUnit.SECONDS);
                    assertTrue(channel != null, "connection " + (i + 2) + " was accepted and handed over");
                    channel.close();
                }
            }
        } finally {
            assertTrue(server.shutdown(Duration.ofSeconds(5)));
        }
        assertTrue(server.failure().getNow(null) == null, "a connection's fault does not fail the server");
    }

    /**
     * When the accept thread ends all the same (here a checked exception smuggled past the compiler, which
     * no handler expects), the listening socket must not stay open, accepting into a backlog no one reads.
     */
    @Test
    void anAcceptThreadThatEndsAnywayFailsTheServer() throws Exception {
        ConnectionDispatcher smuggling = new ServerRunnerTest.ClosingDispatcher() {
            @Override
            public void dispatch(SocketChannel channel) {
                EchoServerTest.<RuntimeException>sneakyThrow(new Exception("unexpected"));
            }
        };
        EchoServer server = EchoServer.start(new ServerConfig("127.0.0.1", 0, 4096, 16), smuggling);
        try (Socket client = new Socket("127.0.0.1", server.localAddress().getPort())) {
            String reason = server.failure().get(20, TimeUnit.SECONDS);
            assertTrue(reason.startsWith("the accept thread cannot go on (java.lang.Exception: unexpected)"), reason);
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    private static void assertClosed(InputStream in) throws IOException {
        try {
            assertEquals(-1, in.read(), "closed by the server");
        } catch (SocketException reset) {
            // A reset is a close too.
        }
    }
}

package study.echo.selector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import study.echo.common.work.RequestWork;

/**
 * An {@link EventLoopGroup} on its own threads with a request handler, as the server runs it; the test
 * plays the accept thread. {@link #close} shuts it down in the server's stages, after which the work's
 * tally is complete.
 */
final class ServedGroup implements AutoCloseable {
    final RequestWork work;
    private final ServerSocketChannel listener;
    private final EventLoopGroup group;
    private final List<Socket> clients = new ArrayList<>();
    private boolean closed;

    ServedGroup(int bufferSizeBytes, RequestWork work, Offload offload) throws IOException {
        this(work, new EventLoopGroup(1, bufferSizeBytes, work, offload));
    }

    /** With an executor of the test's own, to inject faults into tasks. */
    ServedGroup(int bufferSizeBytes, RequestWork work, ExecutorService executor) throws IOException {
        this(work, new EventLoopGroup(1, executor, (index, e) -> new EventLoop(bufferSizeBytes, work, e)));
    }

    private ServedGroup(RequestWork work, EventLoopGroup group) throws IOException {
        this.work = work;
        this.group = group;
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        group.start((part, cause) -> { throw new AssertionError(part + " failed", cause); });
    }

    /** Connects a client (TCP_NODELAY, 30 s read timeout) and deals the accepted channel to the loop. */
    Socket connect() throws IOException {
        Socket client = new Socket();
        clients.add(client);
        client.setTcpNoDelay(true);
        client.setSoTimeout(30_000);
        client.connect(listener.getLocalAddress());
        group.dispatch(listener.accept());
        return client;
    }

    /** Stops the loop and the executor; true when both stopped within 10 s. */
    boolean shutDown() throws Exception {
        closed = true;
        group.closeAll();
        return group.awaitTermination(Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        if (!closed) {
            shutDown();
        }
        for (Socket client : clients) {
            client.close();
        }
        listener.close();
    }
}

package study.echo.selector;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import study.echo.common.EchoServer;

/**
 * One selector, one thread, many connections. {@link #doWork(long)} is one pass of the loop and can be
 * called directly, which is how the tests drive it.
 */
public final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** {@link #doWork} timeout that waits until there is something to do. */
    public static final long BLOCK = -1;

    private final Selector selector;
    private final int bufferSizeBytes;
    /** Shared by every connection on this loop: reading allocates nothing per connection or message. */
    private final ByteBuffer readBuffer;
    private final Queue<SocketChannel> arrivals = new ConcurrentLinkedQueue<>();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile boolean running = true;
    private int workDone;

    public EventLoop(int bufferSizeBytes) throws IOException {
        this.selector = Selector.open();
        this.bufferSizeBytes = bufferSizeBytes;
        this.readBuffer = ByteBuffer.allocateDirect(bufferSizeBytes);
    }

    /** Hands a connection to this loop. Safe from any thread; the loop registers it on its next pass. */
    public void register(SocketChannel channel) {
        arrivals.add(channel);
        selector.wakeup();
    }

    /**
     * One pass: register new connections, wait for readiness, serve every ready connection once.
     *
     * @param timeoutMillis how long to wait for readiness: 0 does not wait, {@link #BLOCK} waits
     *                      until something is ready or {@link #register}/{@link #stop} wakes the loop
     * @return how much work the pass did: connections registered plus connections served
     */
    public int doWork(long timeoutMillis) throws IOException {
        workDone = registerArrivals();
        if (timeoutMillis == 0) {
            selector.selectNow(onReady);
        } else if (timeoutMillis == BLOCK) {
            selector.select(onReady);
        } else {
            selector.select(onReady, timeoutMillis);
        }
        return workDone;
    }

    private void onReady(SelectionKey key) {
        EchoConnection connection = (EchoConnection) key.attachment();
        workDone++;
        try {
            connection.onReady(readBuffer);
        } catch (IOException e) {
            // A reset peer is normal traffic for a server.
            LOG.log(Level.DEBUG, "connection ended: {0}", e.getMessage());
            connection.close();
        }
    }

    private int registerArrivals() {
        int registered = 0;
        for (SocketChannel channel; (channel = arrivals.poll()) != null; ) {
            try {
                channel.configureBlocking(false);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                key.attach(new EchoConnection(channel, key, bufferSizeBytes));
                registered++;
            } catch (ClosedChannelException e) {
                // Closed before it got here: nothing to serve.
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "could not register connection: {0}", e.getMessage());
                EchoServer.closeQuietly(channel);
            }
        }
        return registered;
    }

    @Override
    public void run() {
        try {
            while (running) {
                doWork(BLOCK);
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "event loop failed, closing its connections", e);
        } finally {
            closeEverything();
        }
    }

    /** Asks the loop to close its connections and return from {@link #run}. */
    public void stop() {
        running = false;
        selector.wakeup();
    }

    /** Connections registered on this loop right now. Only meaningful from the loop's own thread or after it stopped. */
    public int connectionCount() {
        return selector.isOpen() ? selector.keys().size() : 0;
    }

    /** The connections on this loop. Only meaningful from the loop's own thread; tests use it. */
    java.util.List<EchoConnection> connections() {
        return selector.keys().stream().map(key -> (EchoConnection) key.attachment()).toList();
    }

    private void closeEverything() {
        if (selector.isOpen()) {
            for (SelectionKey key : selector.keys()) {
                EchoServer.closeQuietly(key.channel());
            }
            EchoServer.closeQuietly(selector);
        }
        for (SocketChannel channel; (channel = arrivals.poll()) != null; ) {
            EchoServer.closeQuietly(channel);
        }
    }
}

package study.echo.selector;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import study.echo.common.Backoff;
import study.echo.common.EchoServer;
import study.echo.common.Faults;
import study.echo.common.work.RequestWork;

/**
 * One selector, one thread, many connections. {@link #doWork(long)} is one pass of the loop and can be
 * called directly, which is how the tests drive it; {@link #run()} calls it until stopped.
 *
 * <p>A fault never ends the loop by itself. A connection's fault (an {@code OutOfMemoryError} while
 * holding back its output, say) closes that connection and the pass goes on with the others. A pass
 * that throws outside any connection is logged and retried after a pause, as Netty's
 * {@code NioIoHandler.handleLoopException} does. Only when {@value #MAX_FAULTY_PASSES_IN_A_ROW} passes
 * in a row have failed (a closed or broken selector fails every pass) does the loop give up: it closes
 * its connections, refuses new ones, and {@link #brokenBy()} says why, so that its group fails the
 * server instead of accepting connections into a loop that will never serve them.
 *
 * <p>With {@code --request-size} the stream is requests ({@link RequestConnection}). With an offload
 * executor, a connection's requests are handled there, and the finished task comes back through
 * {@link #finished} and a wakeup; the loop writes it on its next pass and never waits for it.
 */
public final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** {@link #doWork} timeout that waits until there is something to do. */
    public static final long BLOCK = -1;

    /** Passes that may fail in a row, with pauses of 10 ms doubling up to 1 s (about 3 s in all), before the loop gives up. */
    static final int MAX_FAULTY_PASSES_IN_A_ROW = 10;
    private static final Duration MIN_BACKOFF = Duration.ofMillis(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final Selector selector;
    /** Shared by every connection on this loop: reading allocates nothing per connection or message. */
    private final ByteBuffer readBuffer;
    private final IntFunction<ByteBuffer> pendingAllocator;
    private final Runnable beforeSelect;
    private final RequestWork work;
    /** Where requests are handled; null: on this loop. */
    private final Executor offload;
    private final RequestConnection.Handoff handoff;
    private final Queue<SocketChannel> arrivals = new ConcurrentLinkedQueue<>();
    /** Tasks the executor has finished, for this loop to write back (or to tally, for a closed connection). */
    private final Queue<FinishedTask> finished = new ConcurrentLinkedQueue<>();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final Backoff backoff = new Backoff(MIN_BACKOFF, MAX_BACKOFF);
    private volatile boolean running = true;
    /** Why the loop gave up; null while it serves. Set before its connections and arrivals are closed. */
    private volatile Throwable brokenBy;
    private int workDone;
    private int connectionFaults;

    public EventLoop(int bufferSizeBytes) throws IOException {
        this(bufferSizeBytes, RequestWork.echoOnly(), null);
    }

    /**
     * @param work    how the stream is cut into requests and what is done with each
     * @param offload where the requests are handled, or null for on this loop; its owner shuts it down
     *                after this loop has stopped, then calls {@link #finishAbandonedTasks}
     */
    public EventLoop(int bufferSizeBytes, RequestWork work, Executor offload) throws IOException {
        this(bufferSizeBytes, ByteBuffer::allocate, () -> {}, work, offload);
    }

    EventLoop(int bufferSizeBytes, IntFunction<ByteBuffer> pendingAllocator, Runnable beforeSelect) throws IOException {
        this(bufferSizeBytes, pendingAllocator, beforeSelect, RequestWork.echoOnly(), null);
    }

    /**
     * Where the tests inject faults: into a connection through the allocator of its pending output, and
     * into the loop itself through {@code beforeSelect}, which runs in every pass.
     */
    EventLoop(int bufferSizeBytes, IntFunction<ByteBuffer> pendingAllocator, Runnable beforeSelect,
              RequestWork work, Executor offload) throws IOException {
        this.work = work;
        this.offload = offload;
        this.handoff = offload == null ? null : this::offload;
        this.selector = Selector.open();
        this.readBuffer = ByteBuffer.allocateDirect(bufferSizeBytes);
        this.pendingAllocator = pendingAllocator;
        this.beforeSelect = beforeSelect;
    }

    /**
     * Hands a connection to this loop. Safe from any thread; the loop registers it on its next pass.
     *
     * @return false, without taking the channel, when this loop has given up
     */
    public boolean register(SocketChannel channel) {
        if (brokenBy != null) {
            return false;
        }
        arrivals.add(channel);
        if (brokenBy != null) {
            // Gave up between the check and the add, and may have drained the queue already.
            closeArrivals();
        } else {
            selector.wakeup();
        }
        return true;
    }

    /**
     * One pass: register new connections, wait for readiness, serve every ready connection once. A
     * connection's fault closes that connection and does not end the pass.
     *
     * @param timeoutMillis how long to wait for readiness: 0 does not wait, {@link #BLOCK} waits
     *                      until something is ready or {@link #register}/{@link #stop} wakes the loop
     * @return how much work the pass did: connections registered plus connections served
     * @throws IOException when the selector fails, a fault of the loop and not of a connection
     */
    public int doWork(long timeoutMillis) throws IOException {
        connectionFaults = 0;
        workDone = registerArrivals();
        if (offload != null) {
            workDone += writeFinishedTasks();
        }
        beforeSelect.run();
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
        } catch (IOException | RuntimeException | Error e) {
            closeAfter(connection, e);
        }
    }

    /** A connection's error closes that connection only. */
    private void closeAfter(EchoConnection connection, Throwable e) {
        connection.close();
        if (e instanceof IOException) {
            // A reset peer is normal traffic for a server.
            LOG.log(Level.DEBUG, "connection ended: {0}", e.getMessage());
        } else {
            onConnectionFault(e);
        }
    }

    /** On an executor thread: one connection's batch, handled, then back to the loop. */
    private void offload(RequestConnection connection, ByteBuffer batch) {
        offload.execute(() -> {
            Throwable failure = null;
            try {
                connection.handleOffloaded(batch);
            } catch (Throwable t) {
                failure = t;
            }
            finished.add(new FinishedTask(connection, batch, failure));
            selector.wakeup();
        });
    }

    private record FinishedTask(RequestConnection connection, ByteBuffer batch, Throwable failure) {}

    private int writeFinishedTasks() {
        int written = 0;
        for (FinishedTask task; (task = finished.poll()) != null; written++) {
            if (task.failure() != null) {
                onTaskFailure(task);
                continue;
            }
            try {
                task.connection().onTaskDone(task.batch());
            } catch (IOException | RuntimeException | Error e) {
                closeAfter(task.connection(), e);
            }
        }
        return written;
    }

    /** Rare path: a task failed; that connection closes. An interrupt is the executor shutting down, not a fault. */
    private void onTaskFailure(FinishedTask task) {
        task.connection().onTaskFailed();
        if (task.failure() instanceof InterruptedException) {
            LOG.log(Level.DEBUG, "request interrupted by shutdown");
        } else {
            onConnectionFault(task.failure());
        }
    }

    /**
     * Shutdown, after this loop has stopped and the executor has terminated: counts the requests of tasks
     * that finished after their connection was closed. One thread only; the loop's is gone by then.
     */
    public void finishAbandonedTasks() {
        for (FinishedTask task; (task = finished.poll()) != null; ) {
            task.connection().onTaskFailed();
        }
    }

    private EchoConnection newConnection(SocketChannel channel, SelectionKey key) {
        if (!work.framed()) {
            return new EchoConnection(channel, key, pendingAllocator);
        }
        return new RequestConnection(channel, key, pendingAllocator, work, handoff);
    }

    private int registerArrivals() {
        int registered = 0;
        for (SocketChannel channel; (channel = arrivals.poll()) != null; ) {
            try {
                channel.configureBlocking(false);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                key.attach(newConnection(channel, key));
                registered++;
            } catch (ClosedChannelException e) {
                // Closed before it got here: nothing to serve.
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "could not register connection: {0}", e.getMessage());
                EchoServer.closeQuietly(channel);
            } catch (RuntimeException | Error e) {
                EchoServer.closeQuietly(channel);
                if (!selector.isOpen()) {
                    throw e; // the loop's fault (ClosedSelectorException), not the connection's
                }
                onConnectionFault(e);
            }
        }
        return registered;
    }

    private void onConnectionFault(Throwable fault) {
        connectionFaults++;
        Faults.connectionClosedAfter(LOG, fault);
    }

    /** Runs passes until {@link #stop}, or until the loop gives up; closes every connection either way. */
    @Override
    public void run() {
        try {
            while (running && brokenBy == null) {
                runOnePass();
            }
        } catch (Throwable t) {
            // Handling a fault failed in turn (out of memory while logging, say): nothing left to trust.
            brokenBy = t;
        } finally {
            closeEverything();
        }
    }

    private void runOnePass() {
        try {
            doWork(BLOCK);
        } catch (Throwable t) {
            onLoopFault(t);
            return;
        }
        if (connectionFaults > 0) {
            // Most likely out of memory: give the collector and the other threads a moment.
            backoff.pause();
        }
        backoff.reset();
    }

    /** Rare path: a pass failed outside any connection. Retry after a pause, or give up when it keeps failing. */
    private void onLoopFault(Throwable fault) {
        if (!running) {
            return; // stop() closed things under the pass: not a fault
        }
        if (backoff.failuresInARow() + 1 >= MAX_FAULTY_PASSES_IN_A_ROW) {
            brokenBy = fault;
            return;
        }
        if (backoff.failuresInARow() == 0) {
            LOG.log(Level.WARNING, "event loop pass failed, retrying after a pause", fault);
        } else {
            LOG.log(Level.WARNING, "event loop pass failed again ({0} in a row): {1}", backoff.failuresInARow() + 1, fault);
        }
        backoff.pause();
    }

    /** Asks the loop to close its connections and return from {@link #run}. */
    public void stop() {
        running = false;
        selector.wakeup();
    }

    /** Why the loop gave up, or null while it serves or after it was stopped. */
    public Throwable brokenBy() {
        return brokenBy;
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
            for (SelectionKey key : java.util.List.copyOf(selector.keys())) {
                closeConnection(key);
            }
            EchoServer.closeQuietly(selector);
        }
        finishAbandonedTasks();
        closeArrivals();
    }

    /** Through the connection, which counts its requests, or the channel alone if it has none yet. */
    private static void closeConnection(SelectionKey key) {
        if (key.attachment() instanceof EchoConnection connection) {
            connection.close();
        } else {
            EchoServer.closeQuietly(key.channel());
        }
    }

    private void closeArrivals() {
        for (SocketChannel channel; (channel = arrivals.poll()) != null; ) {
            EchoServer.closeQuietly(channel);
        }
    }
}

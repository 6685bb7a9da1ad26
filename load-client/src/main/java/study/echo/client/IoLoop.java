package study.echo.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import study.echo.common.EchoServer;

/**
 * One client I/O thread: a Selector over many connections, never a thread per connection.
 * {@link #doWork()} is one pass of the loop.
 */
final class IoLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(IoLoop.class.getName());
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Longest wait in one pass, so that stop and start requests are seen even without a wakeup. */
    private static final long MAX_WAIT_MILLIS = 100;
    /**
     * Selector timeouts are whole milliseconds (epoll_wait), too coarse for an open loop sending every
     * 100 us. The last stretch before a due send is covered by polling with short parks instead.
     */
    private static final long MAX_PARK_NANOS = 50_000;
    /** How often the warm-up rehearses the window's opening (see {@link #crossEdge}). */
    static final long REHEARSAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final int sizeBytes;
    private final Counters counters;
    private final SendPolicy policy;
    /** The policy's trace of this thread's waits, which names the cause of each late send. */
    private final LagCauses causes;
    /** Open loop: how long before a due send the thread stops parking and spins instead; 0 never spins. */
    private final long spinNanos;
    private final LatencyRecorders recorders;
    private final Queue<Connection> arrivals = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Set<Connection> connecting = new HashSet<>();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile RunClock startRequest;
    private volatile boolean running = true;
    private volatile Throwable failure;
    /** Set by the collector when the run is stopped early: the measured window ends then, not at the clock's end. */
    private volatile long requestedEndNanos = Long.MAX_VALUE;
    /** Published once, when the measured window has closed on this thread. */
    private volatile WindowEnd windowEnd;
    private RunClock clock;
    private boolean started;
    private boolean windowClosed;
    /** When the window next opens or closes, once started and until it has closed. */
    private long nextEdgeNanos;
    private long nowNanos;
    private int workDone;
    /** When a timed select handed out its first ready key: the wait's end, before the handlers' work. */
    private long firstReadyNanos;
    /** Marks the window in a flight recording, for {@link JfrWindowCheck}; free when none is running. */
    private final MeasuredWindowEvent windowEvent = new MeasuredWindowEvent();
    private long allocatedBytesAtOpen;

    /**
     * What this thread leaves at the measured window's end: its messages still unanswered then, and how
     * its sends kept to the schedule over the window.
     */
    record WindowEnd(Unanswered unanswered, SendStats sends) {}

    IoLoop(int sizeBytes, Counters counters, SendPolicy policy) throws IOException {
        this(sizeBytes, counters, policy, 0);
    }

    /** @param spinNanos spin, polling the selector, through the last {@code spinNanos} before each due send; 0 never */
    IoLoop(int sizeBytes, Counters counters, SendPolicy policy, long spinNanos) throws IOException {
        this.selector = Selector.open();
        this.sizeBytes = sizeBytes;
        this.counters = counters;
        this.policy = policy;
        this.causes = policy.stats().causes();
        this.spinNanos = spinNanos;
        this.recorders = new LatencyRecorders(policy.sendsOnTime());
    }

    /** Why this loop's thread died, or null while it is healthy. */
    Throwable failure() {
        return failure;
    }

    LatencyRecorders recorders() {
        return recorders;
    }

    /** Hands over a channel whose non-blocking connect has begun. Safe from any thread. */
    void add(int connectionId, SocketChannel channel) {
        arrivals.add(new Connection(connectionId, channel, sizeBytes, recorders, counters, writeBuffer));
        selector.wakeup();
    }

    /** Starts sending on the connections that are open; connects still pending count as timed out. */
    void start(RunClock clock) {
        startRequest = clock;
        selector.wakeup();
    }

    /** Ends the measured window at {@code endNanos}, earlier than the clock says (the run was stopped). Safe from any thread. */
    void endWindowAt(long endNanos) {
        requestedEndNanos = endNanos;
        selector.wakeup();
    }

    /** What the thread left when the measured window closed, or null until it has. */
    WindowEnd windowEnd() {
        return windowEnd;
    }

    /** Asks the loop to close its connections and return from {@link #run}. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                doWork();
            }
        } catch (IOException | RuntimeException | Error e) {
            // The collector sees this and fails the run: numbers from a dead thread would be silently low.
            failure = e;
            LOG.log(Level.DEBUG, "client I/O thread failed", e);
        } finally {
            // A batch left open would make the collector's next swap wait forever.
            recorders.endBatch();
            closeEverything();
        }
    }

    /**
     * One pass: take new connections, start when asked, send what is due, wait for readiness until
     * the next send is due, and serve every ready connection once.
     *
     * @return work done: connections taken, messages released, connections served
     */
    int doWork() throws IOException {
        workDone = registerArrivals();
        nowNanos = System.nanoTime();
        if (!started && startRequest != null) {
            begin(startRequest);
        }
        if (started && !windowClosed
                && (nowNanos - nextEdgeNanos >= 0 || requestedEndNanos != Long.MAX_VALUE)) {
            crossEdge();
        }
        workDone += policy.releaseDue(nowNanos);
        long dueNanos = policy.nextDueNanos();
        if (started && !windowClosed && (dueNanos == Long.MAX_VALUE || nextEdgeNanos - dueNanos < 0)) {
            dueNanos = nextEdgeNanos;
        }
        long waitFromNanos = System.nanoTime();
        long waitNanos = dueNanos == Long.MAX_VALUE
                ? TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS) : dueNanos - waitFromNanos;
        // Time to sleep before the spin begins; all of waitNanos when there is no spin.
        long sleepNanos = waitNanos - spinNanos;
        if (workDone > 0 || waitNanos <= 0) {
            selector.selectNow(onReady);
            causes.noWait(waitFromNanos);
        } else if (sleepNanos >= 1_000_000) {
            selectUntilReadyOr(Math.min(MAX_WAIT_MILLIS, sleepNanos / 1_000_000), waitFromNanos);
        } else if (sleepNanos <= 0) {
            // The spin: one short pass, so that the next one sends the moment the time comes; echoes are
            // read as they arrive, not after a park.
            selector.selectNow(onReady);
            Thread.onSpinWait();
            causes.noWait(waitFromNanos);
        } else if (selector.selectNow(onReady) == 0) {
            park(Math.min(sleepNanos, MAX_PARK_NANOS));
        } else {
            causes.noWait(waitFromNanos);
        }
        // Echoes are recorded only in onReady, after the selector has returned: the batch closes here,
        // before the next pass can block.
        recorders.endBatch();
        return workDone;
    }

    /** {@code selector.select(timeout)}, traced: its end is the first ready key, or its return if none came. */
    private void selectUntilReadyOr(long timeoutMillis, long fromNanos) throws IOException {
        causes.waitBegan(LagCauses.SELECT, fromNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        firstReadyNanos = Long.MAX_VALUE;
        selector.select(onReady, timeoutMillis);
        causes.waitEnded(Math.min(firstReadyNanos, System.nanoTime()));
    }

    /** {@code parkNanos}, traced, so that a late send after it knows how much the park overslept. */
    private void park(long nanos) {
        causes.waitBegan(LagCauses.PARK, System.nanoTime() + nanos);
        LockSupport.parkNanos(nanos);
        causes.waitEnded(System.nanoTime());
    }

    private void onReady(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        workDone++;
        long now = System.nanoTime();
        firstReadyNanos = Math.min(firstReadyNanos, now);
        if (!key.isValid()) {
            return;
        }
        // One read of the ready set: each isXxx() call checks the key's validity again.
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect(c, key);
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            c.flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && c.isOpen()) {
            int completed = c.read(readBuffer, now);
            causes.echoed(completed);
            if (completed > 0 && started) {
                policy.onEchoed(c, completed, now);
            }
        }
    }

    private int registerArrivals() {
        int registered = 0;
        for (Connection c; (c = arrivals.poll()) != null; ) {
            try {
                SocketChannel channel = c.channel();
                if (channel.isConnected()) {
                    c.attach(channel.register(selector, SelectionKey.OP_READ, c));
                    connected(c);
                } else {
                    c.attach(channel.register(selector, SelectionKey.OP_CONNECT, c));
                    connecting.add(c);
                }
                registered++;
            } catch (IOException e) {
                counters.increment(ConnectFailures.classify(e));
                c.close();
            }
        }
        return registered;
    }

    private void finishConnect(Connection c, SelectionKey key) {
        connecting.remove(c);
        try {
            c.channel().finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            connected(c);
        } catch (IOException e) {
            counters.increment(ConnectFailures.classify(e));
            c.close();
        }
    }

    private void connected(Connection c) {
        connections.add(c);
        counters.increment(Counters.Kind.CONNECTED);
    }

    private void begin(RunClock clock) {
        started = true;
        for (Connection c : connecting) {
            counters.increment(Counters.Kind.CONNECT_TIMED_OUT);
            c.close();
        }
        connecting.clear();
        // The open loop's schedule interleaves connections by id.
        connections.sort(Comparator.comparingInt(c -> c.id));
        policy.begin(connections, clock, nowNanos);
        this.clock = clock;
        nextEdgeNanos = Math.min(clock.startNanos() + REHEARSAL_NANOS, clock.measureFromNanos());
    }

    /**
     * An edge: an opening of the window (rehearsed during the warm-up, then the real one) or its close.
     * Warm-up ran the same code as the window (it recorded and counted alike); opening only drops the
     * send counts so far, and the warm-up does that every {@link #REHEARSAL_NANOS} too, so that the
     * branch into here and everything it runs are warm when the real opening comes: a branch the JIT
     * has never seen taken is compiled as a trap, and taking it first at the opening threw the compiled
     * loop away just as measuring began (jdk.Deoptimization, reason unstable_if, in doWork).
     */
    private void crossEdge() {
        if (nowNanos - clock.endNanos() >= 0 || requestedEndNanos != Long.MAX_VALUE) {
            long requested = requestedEndNanos;
            closeWindow(requested != Long.MAX_VALUE && requested - clock.endNanos() < 0 ? requested : clock.endNanos());
            return;
        }
        policy.stats().reset();
        // Reads /proc and the collector's beans, which allocate: before the window's allocation is counted.
        causes.windowOpened();
        allocatedBytesAtOpen = AllocatedBytes.ofCurrentThread();
        windowEvent.begin();
        boolean windowOpen = nowNanos - clock.measureFromNanos() >= 0;
        nextEdgeNanos = windowOpen ? clock.endNanos()
                : Math.min(nextEdgeNanos + REHEARSAL_NANOS, clock.measureFromNanos());
    }

    private void closeWindow(long endNanos) {
        windowClosed = true;
        // Read before this method allocates anything itself.
        long allocatedBytes = AllocatedBytes.ofCurrentThread() - allocatedBytesAtOpen;
        windowEvent.end();
        windowEvent.allocatedBytes = allocatedBytes;
        windowEvent.commit();
        causes.windowClosed();
        policy.end();
        Unanswered unanswered = new Unanswered();
        for (Connection c : connections) {
            policy.unansweredAt(c, endNanos, unanswered);
        }
        windowEnd = new WindowEnd(unanswered, policy.stats().copy());
    }

    private void closeEverything() {
        for (Connection c : connections) {
            c.close();
        }
        for (Connection c : connecting) {
            c.close();
        }
        for (Connection c; (c = arrivals.poll()) != null; ) {
            c.close();
        }
        EchoServer.closeQuietly(selector);
    }
}

package study.echo.common;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The part of every server variant that is the same: it binds, accepts on one platform thread, sets
 * the socket options, and hands each connection to a {@link ConnectionDispatcher}. It shuts down in
 * stages: stop accepting, close the connections, wait for them with a grace period.
 */
public final class EchoServer implements RunningServer, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EchoServer.class.getName());

    /** Pauses after a failed accept: the first 1 ms, doubled on each further failure in a row up to 500 ms. */
    static final Duration MIN_BACKOFF = Duration.ofMillis(1);
    static final Duration MAX_BACKOFF = Duration.ofMillis(500);

    private final ServerConfig config;
    private final ConnectionDispatcher dispatcher;
    private final ServerSocketChannel serverChannel;
    private final InetSocketAddress localAddress;
    private final Thread acceptor;
    private volatile boolean closing;
    /** Completed, with why, when a part of the server cannot go on; never completed on a healthy run. */
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    /** How long a failure waits for the accept thread to finish closing the listening socket. */
    private static final Duration LISTENER_CLOSE_WAIT = Duration.ofSeconds(2);

    private EchoServer(ServerConfig config, ConnectionDispatcher dispatcher, ServerSocketChannel serverChannel)
            throws IOException {
        this.config = config;
        this.dispatcher = dispatcher;
        this.serverChannel = serverChannel;
        this.localAddress = (InetSocketAddress) serverChannel.getLocalAddress();
        this.acceptor = Thread.ofPlatform().name("acceptor").unstarted(this::runAcceptor);
    }

    /**
     * Binds and starts accepting. When this returns, connections are being accepted.
     *
     * @throws UserException when the address is in use or cannot be bound
     */
    public static EchoServer start(ServerConfig config, ConnectionDispatcher dispatcher) throws IOException {
        ProtocolFamily family = SocketFamily.of(config.bindAddress());
        ServerSocketChannel channel = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(config.bindAddress(), config.backlog());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw cannotListen(config, e);
        }
        preloadWhatLoggingNeeds();
        EchoServer server = new EchoServer(config, dispatcher, channel);
        dispatcher.start(server::fail);
        server.acceptor.start();
        return server;
    }

    /**
     * The first log record with a timestamp loads the time-zone database from a file. If that first
     * record is the accept loop's EMFILE warning, the load fails for want of a descriptor and the
     * Error kills the accept thread. Load it now, while descriptors are free.
     */
    public static void preloadWhatLoggingNeeds() {
        java.time.ZoneId.systemDefault().getRules();
    }

    /**
     * The one line every variant reports when it cannot bind, whoever raised the failure: the JDK
     * ({@code BindException}) or a native transport (an {@code IOException} whose message carries
     * the errno text, such as Netty's {@code bind(..) failed: Address already in use}).
     */
    public static UserException cannotListen(ServerConfig config, Exception e) {
        String where = "cannot listen on " + config.host() + ":" + config.port() + ": ";
        if (e instanceof UnresolvedAddressException) {
            return new UserException(where + "unknown host " + config.host(), e);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.toLowerCase().contains("in use")) {
            return new UserException(where + (config.port() != 0 ? "port " + config.port() + " " : "") + "is already in use");
        }
        return new UserException(where + msg, e);
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Completes when a part of the server cannot go on, with a one-line reason; the server has stopped
     * accepting by then. A caller that sees it shuts the server down and fails.
     */
    @Override
    public CompletableFuture<String> failure() {
        return failure;
    }

    /**
     * A part that cannot go on: stop accepting at once, so that no connection is accepted into it to wait
     * forever, and tell whoever waits on {@link #failure()}. Only the first failure counts.
     */
    private void fail(String part, Throwable cause) {
        if (!failure.complete(part + " cannot go on (" + cause + "); the server stopped accepting and closed its connections")) {
            return;
        }
        closing = true;
        closeQuietly(serverChannel);
        awaitListenerClosed();
        LOG.log(Level.ERROR, part + " cannot go on; stopping the server", cause);
    }

    /**
     * A ServerSocketChannel closed while the accept thread is blocked in accept(2) is only marked
     * closed: the thread is signalled, and the socket stays listening (the blocked call holds it) until
     * that thread runs again and finishes the close. On a busy machine connects went on landing in the
     * backlog meanwhile (80 of 300 tries beside three busy loops on 2 cores), waiting for an accept that
     * never comes. So wait for the accept thread to be done, unless this is that thread.
     */
    private void awaitListenerClosed() {
        if (Thread.currentThread() == acceptor) return;
        try {
            if (!acceptor.join(LISTENER_CLOSE_WAIT)) {
                LOG.log(Level.WARNING, "the accept thread did not stop within {0}; the port may accept a little longer",
                        Durations.format(LISTENER_CLOSE_WAIT));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runAcceptor() {
        try {
            acceptLoop();
            if (!closing) {
                fail("the accept thread", new InterruptedException("interrupted"));
            }
        } catch (Throwable t) {
            // The fault handling itself failed (out of memory while logging, say): nothing is left that
            // would accept, so the server must not stay up looking alive.
            fail("the accept thread", t);
        }
    }

    private void acceptLoop() {
        Backoff backoff = new Backoff(MIN_BACKOFF, MAX_BACKOFF);
        while (!closing && !Thread.currentThread().isInterrupted()) {
            SocketChannel channel;
            try {
                channel = serverChannel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException | Error e) {
                backOffAfterAcceptFailure(e, backoff);
                continue;
            }
            if (handOver(channel)) {
                backoff.reset();
            } else {
                backoff.pause();
            }
        }
    }

    /**
     * Accept fails when the process runs out of file descriptors (EMFILE), the kernel out of memory for
     * sockets, or the JVM out of heap. The pending connection stays in the backlog, so retrying at once
     * would fail at once and spin a core at 100%: pause, doubling the pause while failures go on.
     */
    private static void backOffAfterAcceptFailure(Throwable e, Backoff backoff) {
        if (backoff.failuresInARow() == 0) {
            LOG.log(Level.WARNING, "accept failed, backing off and retrying: {0}", String.valueOf(e));
        }
        backoff.pause();
    }

    /**
     * Configures a connection and hands it to the dispatcher.
     *
     * @return false when handing over failed for want of memory or threads (the connection was closed)
     */
    private boolean handOver(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            dispatcher.dispatch(channel);
            return true;
        } catch (IOException e) {
            // The peer reset before we could configure it: an ordinary event, not an error.
            LOG.log(Level.DEBUG, "connection gone before set-up: {0}", e.getMessage());
            closeQuietly(channel);
            return true;
        } catch (RuntimeException | Error e) {
            // No thread or memory for this connection ("unable to create native thread", say): it costs
            // this connection only, and a short pause lets memory or threads come free.
            closeQuietly(channel);
            Faults.connectionClosedAfter(LOG, e);
            return false;
        }
    }

    @Override
    public boolean shutdown(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        closing = true;
        closeQuietly(serverChannel);
        acceptor.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        dispatcher.closeAll();
        return dispatcher.awaitTermination(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                && !acceptor.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ofSeconds(3));
    }

    public static void closeQuietly(java.io.Closeable channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "close failed: {0}", e.getMessage());
        }
    }
}

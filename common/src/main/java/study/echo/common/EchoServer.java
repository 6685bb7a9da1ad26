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
import java.util.concurrent.TimeUnit;

/**
 * The part of every server variant that is the same: it binds, accepts on one platform thread, sets
 * the socket options, and hands each connection to a {@link ConnectionDispatcher}. It shuts down in
 * stages: stop accepting, close the connections, wait for them with a grace period.
 */
public final class EchoServer implements RunningServer, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EchoServer.class.getName());

    /** First pause after a failed accept; doubled on each further failure up to {@link #MAX_BACKOFF_NANOS}. */
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ServerConfig config;
    private final ConnectionDispatcher dispatcher;
    private final ServerSocketChannel serverChannel;
    private final Thread acceptor;
    private volatile boolean closing;

    private EchoServer(ServerConfig config, ConnectionDispatcher dispatcher, ServerSocketChannel serverChannel) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.serverChannel = serverChannel;
        this.acceptor = Thread.ofPlatform().name("acceptor").unstarted(this::acceptLoop);
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
        dispatcher.start();
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
        try {
            return (InetSocketAddress) serverChannel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("server channel closed", e);
        }
    }

    public ServerConfig config() {
        return config;
    }

    private void acceptLoop() {
        long backoffNanos = 0;
        while (!closing) {
            SocketChannel channel;
            try {
                channel = serverChannel.accept();
                backoffNanos = 0;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                backoffNanos = backOffAfterAcceptFailure(e, backoffNanos);
                continue;
            }
            handOver(channel);
        }
    }

    /**
     * Accept fails when the process runs out of file descriptors (EMFILE) or the kernel out of memory
     * for sockets. The pending connection stays in the backlog, so retrying at once would fail at once
     * and spin a core at 100%: pause, doubling the pause while failures go on.
     */
    private long backOffAfterAcceptFailure(IOException e, long previousNanos) {
        long next = previousNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(previousNanos * 2, MAX_BACKOFF_NANOS);
        if (previousNanos == 0) {
            LOG.log(Level.WARNING, "accept failed, backing off and retrying: {0}", e.getMessage());
        }
        try {
            TimeUnit.NANOSECONDS.sleep(next);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            closing = true;
        }
        return next;
    }

    private void handOver(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            // The peer reset before we could configure it: an ordinary event, not an error.
            LOG.log(Level.DEBUG, "connection gone before set-up: {0}", e.getMessage());
            closeQuietly(channel);
            return;
        }
        dispatcher.dispatch(channel);
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

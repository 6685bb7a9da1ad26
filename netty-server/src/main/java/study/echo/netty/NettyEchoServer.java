package study.echo.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import study.echo.common.EchoServer;
import study.echo.common.RunningServer;
import study.echo.common.ServerConfig;
import study.echo.common.SocketFamily;
import study.echo.common.UserException;
import study.echo.common.work.RequestWork;

/**
 * The wiring, as thin as Netty's echo example: one acceptor thread, {@code loops} I/O threads, the
 * {@link EchoHandler} on every connection. Netty binds and accepts by itself, so this is a
 * {@link RunningServer} rather than a dispatcher of the shared {@link EchoServer}; the socket
 * options and the output are the same.
 */
final class NettyEchoServer implements RunningServer {
    /** Pooled and direct, as Netty users run it (Netty 4.2's own default is its adaptive allocator). */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true);

    private final EventLoopGroup acceptorGroup;
    private final EventLoopGroup ioGroup;
    private final Channel serverChannel;

    /** The I/O threads to interrupt at shutdown, where a request's wait may sleep; empty without waits. */
    private final List<Thread> waitingThreads;

    private NettyEchoServer(EventLoopGroup acceptorGroup, EventLoopGroup ioGroup, Channel serverChannel,
                            List<Thread> waitingThreads) {
        this.acceptorGroup = acceptorGroup;
        this.ioGroup = ioGroup;
        this.serverChannel = serverChannel;
        this.waitingThreads = waitingThreads;
    }

    /**
     * Binds and starts accepting on {@code transport} with {@code loops} I/O threads, handling requests as {@code work} says.
     *
     * @throws UserException when the transport cannot run here, or the address cannot be bound
     */
    static NettyEchoServer start(ServerConfig config, Transport transport, int loops, RequestWork work)
            throws InterruptedException {
        transport.ensureAvailable();
        EchoServer.preloadWhatLoggingNeeds();
        EventLoopGroup acceptorGroup = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        List<Thread> waitingThreads = new CopyOnWriteArrayList<>();
        EventLoopGroup ioGroup = work.spec().hasWait()
                ? new MultiThreadIoEventLoopGroup(loops, recordingInto(waitingThreads), transport.ioHandlerFactory())
                : new MultiThreadIoEventLoopGroup(loops, transport.ioHandlerFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptorGroup, ioGroup)
                .channelFactory(() -> transport.newServerChannel(family(config)))
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, ALLOCATOR)
                .handler(new AcceptBackoff())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(config.bufferSizeBytes()))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(config.bufferSizeBytes()))
                .childHandler(childHandler(work));
        try {
            Channel channel = bootstrap.bind(config.bindAddress()).sync().channel();
            return new NettyEchoServer(acceptorGroup, ioGroup, channel, waitingThreads);
        } catch (Exception e) {
            acceptorGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            ioGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw EchoServer.cannotListen(config, e);
        }
    }

    /** Netty's own thread factory for an event loop group, keeping each thread it makes in {@code threads}. */
    private static ThreadFactory recordingInto(List<Thread> threads) {
        return new DefaultThreadFactory(MultiThreadIoEventLoopGroup.class) {
            @Override
            protected Thread newThread(Runnable task, String name) {
                Thread thread = super.newThread(task, name);
                threads.add(thread);
                return thread;
            }
        };
    }

    /** The echo alone for a byte stream, as today; with requests, a framer of its own per connection before it. */
    private static ChannelHandler childHandler(RequestWork work) {
        EchoHandler echo = new EchoHandler();
        if (!work.framed()) {
            return echo;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new RequestFramer(work), echo);
            }
        };
    }

    /** The family of the address bound, as the study's other servers open theirs. */
    private static SocketProtocolFamily family(ServerConfig config) {
        ProtocolFamily family = SocketFamily.of(config.bindAddress());
        return family == null ? null : SocketProtocolFamily.of(family);
    }

    /**
     * Stop reading above one read's worth of pending output, resume at half of it: with one read in
     * flight beyond the high mark, a connection holds at most twice {@code --buffer-size}.
     */
    static WriteBufferWaterMark waterMark(int bufferSizeBytes) {
        return new WriteBufferWaterMark(bufferSizeBytes / 2, bufferSizeBytes);
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Stop accepting, then let the I/O loops close every connection as they shut down (no quiet
     * period: nothing new can arrive), and wait for them.
     */
    @Override
    public boolean shutdown(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        serverChannel.close().await(grace.toMillis());
        Future<?> acceptorDone = acceptorGroup.shutdownGracefully(0, grace.toMillis(), TimeUnit.MILLISECONDS);
        Future<?> ioDone = ioGroup.shutdownGracefully(0, grace.toMillis(), TimeUnit.MILLISECONDS);
        // A loop asleep in a request's wait (up to 10 s) would not see the shutdown until it wakes.
        waitingThreads.forEach(Thread::interrupt);
        return acceptorDone.await(remainingMillis(deadline)) && ioDone.await(remainingMillis(deadline));
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}

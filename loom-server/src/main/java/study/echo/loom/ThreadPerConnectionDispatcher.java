package study.echo.loom;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import study.echo.common.ConnectionDispatcher;
import study.echo.common.EchoServer;

/** Gives each accepted connection a thread of its own from a {@link ThreadFactory}. */
public final class ThreadPerConnectionDispatcher implements ConnectionDispatcher {
    private static final System.Logger LOG = System.getLogger(ThreadPerConnectionDispatcher.class.getName());

    private final ThreadFactory threads;
    private final int bufferSizeBytes;
    /** Open connections and the threads serving them, so that shutdown can close and join them. */
    private final Map<SocketChannel, Thread> open = new ConcurrentHashMap<>();

    public ThreadPerConnectionDispatcher(ThreadMode mode, int bufferSizeBytes) {
        this(mode.factory(), bufferSizeBytes);
    }

    ThreadPerConnectionDispatcher(ThreadFactory threads, int bufferSizeBytes) {
        this.threads = threads;
        this.bufferSizeBytes = bufferSizeBytes;
    }

    @Override
    public void dispatch(SocketChannel channel) {
        Thread thread = threads.newThread(() -> serve(channel));
        open.put(channel, thread);
        thread.start();
    }

    private void serve(SocketChannel channel) {
        try {
            // Direct, so the JDK reads into it without copying through a temporary direct buffer.
            BlockingEcho.echo(channel, ByteBuffer.allocateDirect(bufferSizeBytes));
        } catch (AsynchronousCloseException e) {
            // closeAll() during shutdown: expected.
        } catch (IOException e) {
            // A reset peer is normal traffic for a server.
            LOG.log(Level.DEBUG, "connection ended: {0}", e.getMessage());
        } finally {
            open.remove(channel);
            EchoServer.closeQuietly(channel);
        }
    }

    @Override
    public void closeAll() {
        open.keySet().forEach(EchoServer::closeQuietly);
    }

    @Override
    public boolean awaitTermination(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread thread : open.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    /** Connections open right now. */
    public int openConnections() {
        return open.size();
    }
}

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
import java.util.function.Supplier;
import study.echo.common.ConnectionDispatcher;
import study.echo.common.EchoServer;
import study.echo.common.Faults;
import study.echo.common.work.RequestWork;

/**
 * Gives each accepted connection a thread of its own from a {@link ThreadFactory}.
 *
 * <p>Out of memory is a load condition here, not a crash: many clients that write and never read, each
 * holding a thread and a buffer, can exhaust the heap, the direct memory or the threads. A connection
 * that cannot get its thread (the accept thread then closes it and goes on) or its buffer, or that fails
 * in any other way, is closed, which its client sees as a reset; the others carry on, and new connections
 * are served again once memory comes free.
 */
public final class ThreadPerConnectionDispatcher implements ConnectionDispatcher {
    private static final System.Logger LOG = System.getLogger(ThreadPerConnectionDispatcher.class.getName());

    private final ThreadFactory threads;
    private final Supplier<ByteBuffer> buffers;
    private final RequestWork work;
    /** Open connections and the threads serving them, so that shutdown can close and join them. */
    private final Map<SocketChannel, Thread> open = new ConcurrentHashMap<>();

    /** The echo without requests: today's byte stream. */
    public ThreadPerConnectionDispatcher(ThreadMode mode, int bufferSizeBytes) {
        this(mode, bufferSizeBytes, RequestWork.echoOnly());
    }

    /** @param work the requests and their handler; a buffer holds at least one request */
    public ThreadPerConnectionDispatcher(ThreadMode mode, int bufferSizeBytes, RequestWork work) {
        // Direct, so the JDK reads into it without copying through a temporary direct buffer.
        this(mode.factory(), directBuffers(Math.max(bufferSizeBytes, work.requestSizeBytes())), work);
    }

    /** @param buffers makes each connection's buffer; tests inject faults through it, and through {@code threads} */
    ThreadPerConnectionDispatcher(ThreadFactory threads, Supplier<ByteBuffer> buffers) {
        this(threads, buffers, RequestWork.echoOnly());
    }

    private ThreadPerConnectionDispatcher(ThreadFactory threads, Supplier<ByteBuffer> buffers, RequestWork work) {
        this.threads = threads;
        this.buffers = buffers;
        this.work = work;
    }

    private static Supplier<ByteBuffer> directBuffers(int capacityBytes) {
        return () -> ByteBuffer.allocateDirect(capacityBytes);
    }

    /** @throws OutOfMemoryError when no thread can be had for the connection, which is then not taken */
    @Override
    public void dispatch(SocketChannel channel) {
        Thread thread = threads.newThread(() -> serve(channel));
        open.put(channel, thread);
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            open.remove(channel);
            throw e;
        }
    }

    private void serve(SocketChannel channel) {
        RequestWork.Connection requests = work.newConnection();
        try {
            if (work.framed()) {
                FramedEcho.echo(channel, buffers.get(), work, requests);
            } else {
                BlockingEcho.echo(channel, buffers.get());
            }
        } catch (AsynchronousCloseException | InterruptedException e) {
            // closeAll() during shutdown: expected (an interrupt in a channel operation closes the channel).
        } catch (IOException e) {
            // A reset peer is normal traffic for a server.
            LOG.log(Level.DEBUG, "connection ended: {0}", e.getMessage());
        } catch (RuntimeException | Error e) {
            Faults.connectionClosedAfter(LOG, e);
        } finally {
            requests.close();
            open.remove(channel);
            EchoServer.closeQuietly(channel);
        }
    }

    /**
     * Ends every connection's read. Closing a blocking channel waits until its reader has left
     * {@code read} (SocketChannelImpl.implCloseBlockingMode), so closing 10,000 connections one after
     * another, each waking one platform thread, took longer than the 5 s a server gets to exit. Shutting
     * the input down wakes every reader without waiting; each thread then sees end-of-stream and closes
     * its own channel in its {@code finally}, all in parallel. A thread in a request's wait reads
     * nothing, so it is interrupted instead: a wait of up to 10 s must not hold up the shutdown.
     */
    @Override
    public void closeAll() {
        for (SocketChannel channel : open.keySet()) {
            try {
                channel.shutdownInput();
            } catch (IOException e) {
                // Already closed or reset: its thread is on its way out anyway.
            }
        }
        if (work.spec().hasWait()) {
            open.values().forEach(Thread::interrupt);
        }
    }

    /**
     * Waits for the connection threads; a thread still blocked after half the grace period is one
     * stuck in {@code write} to a client that does not read, and gets its channel closed.
     */
    @Override
    public boolean awaitTermination(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        if (!joinAll(System.nanoTime() + grace.toNanos() / 2)) {
            open.keySet().forEach(EchoServer::closeQuietly);
        }
        return joinAll(deadline);
    }

    private boolean joinAll(long deadlineNanos) throws InterruptedException {
        for (Thread thread : open.values()) {
            long left = deadlineNanos - System.nanoTime();
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

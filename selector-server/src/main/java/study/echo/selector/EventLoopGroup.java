package study.echo.selector;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import study.echo.common.ConnectionDispatcher;
import study.echo.common.EchoServer;
import study.echo.common.FailureListener;

/**
 * N event loops, each on its own platform thread; accepted connections are dealt to them in turn, never
 * to a loop that has given up. A loop that gives up fails the server through the {@link FailureListener}:
 * its connections are gone, and a server that runs on with part of its loops is half dead.
 */
public final class EventLoopGroup implements ConnectionDispatcher {
    /** Makes the loop of a given index; tests use it to inject faults. */
    @FunctionalInterface
    interface LoopFactory {
        EventLoop create(int index) throws IOException;
    }

    private final EventLoop[] loops;
    private final Thread[] threads;
    private int next;

    public EventLoopGroup(int loopCount, int bufferSizeBytes) throws IOException {
        this(loopCount, index -> new EventLoop(bufferSizeBytes));
    }

    EventLoopGroup(int loopCount, LoopFactory factory) throws IOException {
        loops = new EventLoop[loopCount];
        threads = new Thread[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = factory.create(i);
        }
    }

    @Override
    public void start(FailureListener failure) {
        for (int i = 0; i < loops.length; i++) {
            EventLoop loop = loops[i];
            threads[i] = Thread.ofPlatform().name("event-loop-" + i).start(() -> runLoop(loop, failure));
        }
    }

    private static void runLoop(EventLoop loop, FailureListener failure) {
        loop.run();
        Throwable cause = loop.brokenBy();
        if (cause != null) {
            failure.failed("event loop " + Thread.currentThread().getName(), cause);
        }
    }

    /**
     * Called by the single accept thread only, so the round-robin index needs no synchronisation. Skips a
     * loop that has given up; when all have, closes the channel (the server is failing by then).
     */
    @Override
    public void dispatch(SocketChannel channel) {
        for (int tried = 0; tried < loops.length; tried++) {
            EventLoop loop = loops[next];
            next = (next + 1) % loops.length;
            if (loop.register(channel)) {
                return;
            }
        }
        EchoServer.closeQuietly(channel);
    }

    @Override
    public void closeAll() {
        for (EventLoop loop : loops) {
            loop.stop();
        }
    }

    @Override
    public boolean awaitTermination(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (thread != null && (left <= 0 || !thread.join(Duration.ofNanos(left)))) {
                return false;
            }
        }
        return true;
    }
}

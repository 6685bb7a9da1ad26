package study.echo.selector;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import study.echo.common.ConnectionDispatcher;
import study.echo.common.EchoServer;
import study.echo.common.FailureListener;
import study.echo.common.work.RequestWork;

/**
 * N event loops, each on its own platform thread; accepted connections are dealt to them in turn, never
 * to a loop that has given up. A loop that gives up fails the server through the {@link FailureListener}:
 * its connections are gone, and a server that runs on with part of its loops is half dead.
 *
 * <p>With an offload, one executor serves every loop, as Netty's {@code EventExecutorGroup} serves its
 * channels. It shuts down after the loops: first the loops stop reading and close their connections,
 * then the executor is shut down (a task asleep in a wait is interrupted), then the requests of the
 * tasks that finished after their connection closed are counted.
 */
public final class EventLoopGroup implements ConnectionDispatcher {
    /** Makes the loop of a given index; tests use it to inject faults. */
    @FunctionalInterface
    interface LoopFactory {
        EventLoop create(int index) throws IOException;
    }

    private final EventLoop[] loops;
    private final Thread[] threads;
    /** Null with {@code --offload none}. */
    private final ExecutorService executor;
    /** Whether a request's wait runs on the loops (no offload): shutdown then interrupts them. */
    private final boolean waitsOnLoops;
    private int next;

    public EventLoopGroup(int loopCount, int bufferSizeBytes) throws IOException {
        this(loopCount, index -> new EventLoop(bufferSizeBytes));
    }

    public EventLoopGroup(int loopCount, int bufferSizeBytes, RequestWork work, Offload offload) throws IOException {
        this(loopCount, offload.isNone() ? null : offload.newExecutor(),
                (index, executor) -> new EventLoop(bufferSizeBytes, work, executor),
                offload.isNone() && work.spec().hasWait());
    }

    EventLoopGroup(int loopCount, LoopFactory factory) throws IOException {
        this(loopCount, null, (index, executor) -> factory.create(index), false);
    }

    /** Makes the loop of a given index, given the shared executor. */
    @FunctionalInterface
    interface OffloadingLoopFactory {
        EventLoop create(int index, ExecutorService executor) throws IOException;
    }

    EventLoopGroup(int loopCount, ExecutorService executor, OffloadingLoopFactory factory) throws IOException {
        this(loopCount, executor, factory, false);
    }

    private EventLoopGroup(int loopCount, ExecutorService executor, OffloadingLoopFactory factory, boolean waitsOnLoops)
            throws IOException {
        this.executor = executor;
        this.waitsOnLoops = waitsOnLoops;
        loops = new EventLoop[loopCount];
        threads = new Thread[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = factory.create(i, executor);
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
        for (int i = 0; i < loops.length; i++) {
            loops[i].stop();
            if (waitsOnLoops && threads[i] != null) {
                // A loop asleep in a request's wait (up to 10 s) would sleep through the 3 s shutdown grace.
                threads[i].interrupt();
            }
        }
    }

    @Override
    public boolean awaitTermination(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        boolean loopsStopped = true;
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (thread != null && (left <= 0 || !thread.join(Duration.ofNanos(left)))) {
                loopsStopped = false;
                break;
            }
        }
        return executor == null ? loopsStopped : stopExecutor(deadline, loopsStopped) && loopsStopped;
    }

    /** Shutdown stage 3 for the offload: after the loops, so that no loop submits to a shut executor. */
    private boolean stopExecutor(long deadlineNanos, boolean loopsStopped) throws InterruptedException {
        executor.shutdownNow();
        boolean terminated = executor.awaitTermination(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (terminated && loopsStopped) {
            // Every thread that touched a connection is gone: this thread alone may count them now.
            for (EventLoop loop : loops) {
                loop.finishAbandonedTasks();
            }
        }
        return terminated;
    }
}

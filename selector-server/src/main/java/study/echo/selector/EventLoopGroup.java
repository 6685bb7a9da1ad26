package study.echo.selector;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import study.echo.common.ConnectionDispatcher;

/** N event loops, each on its own platform thread; accepted connections are dealt to them in turn. */
public final class EventLoopGroup implements ConnectionDispatcher {
    private final EventLoop[] loops;
    private final Thread[] threads;
    private int next;

    public EventLoopGroup(int loopCount, int bufferSizeBytes) throws IOException {
        loops = new EventLoop[loopCount];
        threads = new Thread[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = new EventLoop(bufferSizeBytes);
            threads[i] = Thread.ofPlatform().name("event-loop-" + i).unstarted(loops[i]);
        }
    }

    @Override
    public void start() {
        for (Thread thread : threads) {
            thread.start();
        }
    }

    /** Called by the single accept thread only, so the round-robin index needs no synchronisation. */
    @Override
    public void dispatch(SocketChannel channel) {
        EventLoop loop = loops[next];
        next = (next + 1) % loops.length;
        loop.register(channel);
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
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }
}

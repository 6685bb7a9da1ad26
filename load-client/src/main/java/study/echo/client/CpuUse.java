package study.echo.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The client's own CPU use over the measured window: the whole process (I/O threads, GC, JIT) and
 * the busiest I/O thread, which is what shows a saturated client: one event loop near 100% of a core.
 */
final class CpuUse {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<Thread> ioThreads;
    private long processStartNanos;
    private long[] threadStartNanos;

    CpuUse(List<Thread> ioThreads) {
        this.ioThreads = ioThreads;
        mark();
    }

    /** Starts counting from now. */
    void mark() {
        processStartNanos = processCpuNanos();
        threadStartNanos = ioThreads.stream().mapToLong(CpuUse::threadCpuNanos).toArray();
    }

    /** Process CPU since {@link #mark}, in nanoseconds. */
    long processNanos() {
        return Math.max(0, processCpuNanos() - processStartNanos);
    }

    /** CPU of the busiest I/O thread since {@link #mark}, in nanoseconds; 0 when the JVM cannot tell. */
    long busiestThreadNanos() {
        long max = 0;
        for (int i = 0; i < ioThreads.size(); i++) {
            max = Math.max(max, threadCpuNanos(ioThreads.get(i)) - threadStartNanos[i]);
        }
        return max;
    }

    private static long threadCpuNanos(Thread t) {
        if (!THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadCpuTimeEnabled()) {
            return 0;
        }
        return Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}

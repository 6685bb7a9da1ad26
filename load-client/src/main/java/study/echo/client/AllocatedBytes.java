package study.echo.client;

import java.lang.management.ManagementFactory;

/** Bytes the current thread has allocated so far, where the JVM can tell (HotSpot's ThreadMXBean); else -1. */
final class AllocatedBytes {
    private static final com.sun.management.ThreadMXBean THREADS =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;

    private AllocatedBytes() {}

    static long ofCurrentThread() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }
}

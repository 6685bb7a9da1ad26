package study.echo.client;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The client's own CPU use over the measured window: the whole process (I/O threads, GC, JIT) and
 * the busiest I/O thread, which is what shows a saturated client: one event loop near 100% of a core;
 * and the machine's idle cores (Linux {@code /proc/stat}), which say whether more client threads could help.
 */
final class CpuUse {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<Thread> ioThreads;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    private long processStartNanos;
    private long[] threadStartNanos;
    /** Machine-wide jiffies at {@link #mark}: all, and idle (idle + iowait); null where unknown. */
    private long[] machineStart;

    CpuUse(List<Thread> ioThreads) {
        this.ioThreads = ioThreads;
        mark();
    }

    /** Starts counting from now. */
    void mark() {
        processStartNanos = processCpuNanos();
        threadStartNanos = ioThreads.stream().mapToLong(CpuUse::threadCpuNanos).toArray();
        machineStart = machineJiffies();
    }

    /** Cores' worth of the machine's CPU left idle since {@link #mark}; NaN where the machine cannot tell. */
    double idleCores() {
        long[] now = machineJiffies();
        if (machineStart == null || now == null || now[0] - machineStart[0] <= 0) {
            return Double.NaN;
        }
        double idleShare = (double) (now[1] - machineStart[1]) / (now[0] - machineStart[0]);
        return idleShare * Runtime.getRuntime().availableProcessors();
    }

    /** The first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ... */
    private static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
            long all = 0;
            // Guest time is already inside user time: sum the first eight fields only.
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                all += Long.parseLong(f[i]);
            }
            return new long[] {all, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
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

package study.echo.bench.compare.measure;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a server's resource counters from {@code /proc/<pid>} (Linux, see proc(5)). CPU time covers
 * every thread, dead ones included. Context switches exist per thread only ({@code /proc/<pid>/status}
 * counts the main thread alone), so they are kept per thread id and differenced thread by thread: a
 * plain sum over the live threads goes down whenever a thread ends (the JVM stops idle JIT compiler
 * threads, for one), which made whole windows negative.
 */
public final class ProcStats {
    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat. 100 on every mainstream Linux build. */
    public static final long CLOCK_TICKS_PER_S = 100;

    private ProcStats() {}

    /**
     * A moment's counters. Memory in KiB; -1 where unknown.
     *
     * @param ctxSwitchesByThread thread id to {voluntary, involuntary} switches; empty in a light snapshot
     */
    public record Snapshot(long nanoTime, double cpuSeconds, long rssKib, long hwmKib, int threads,
                    Map<Long, long[]> ctxSwitchesByThread) {}

    /**
     * Voluntary and involuntary context switches from {@code a} to {@code b}: for each thread alive at
     * {@code b}, its count less its count at {@code a} (zero for a thread born since). A thread that
     * ended in between takes its switches of the window with it, so this never overcounts.
     */
    public static long[] ctxSwitchesBetween(Snapshot a, Snapshot b) {
        long[] total = new long[2];
        b.ctxSwitchesByThread().forEach((tid, now) -> {
            long[] before = a.ctxSwitchesByThread().getOrDefault(tid, new long[2]);
            total[0] += now[0] - before[0];
            total[1] += now[1] - before[1];
        });
        return total;
    }

    /** CPU seconds, user plus system, from /proc/<pid>/stat. */
    public static double cpuSeconds(long pid) throws IOException {
        // readAllLines, not readString: /proc files report size 0, and readString then returns only
        // the first byte of some of them (seen with /proc/sys/net/ipv4/ip_local_port_range on JDK 25).
        String stat = String.join("\n", Files.readAllLines(Path.of("/proc", Long.toString(pid), "stat")));
        // The command name in field 2 may hold spaces and parentheses; fields after it are plain.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / (double) CLOCK_TICKS_PER_S;
    }

    /** Value of a {@code Name: value kB} line of a status file, or -1. */
    public static long statusField(List<String> lines, String name) {
        for (String l : lines) {
            if (l.startsWith(name + ":")) {
                String v = l.substring(name.length() + 1).trim();
                int sp = v.indexOf(' ');
                return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
            }
        }
        return -1;
    }

    public static List<String> status(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
    }

    /** Cheap: CPU, memory and thread count, without the per-thread context switches. */
    public static Snapshot light(long pid) throws IOException {
        List<String> s = status(pid);
        return new Snapshot(System.nanoTime(), cpuSeconds(pid), statusField(s, "VmRSS"), statusField(s, "VmHWM"),
                (int) statusField(s, "Threads"), Map.of());
    }

    /** Everything, context switches summed over /proc/<pid>/task/*. Costs one file read per thread. */
    public static Snapshot full(long pid) throws IOException {
        Map<Long, long[]> switches = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    List<String> s = Files.readAllLines(t.resolve("status"));
                    switches.put(Long.parseLong(t.getFileName().toString()), new long[] {
                        statusField(s, "voluntary_ctxt_switches"), statusField(s, "nonvoluntary_ctxt_switches")});
                } catch (IOException threadGone) {
                    // The thread ended between listing and reading: as if it had ended before.
                }
            }
        }
        Snapshot l = light(pid);
        return new Snapshot(l.nanoTime(), l.cpuSeconds(), l.rssKib(), l.hwmKib(), l.threads(), switches);
    }

    /**
     * The kernel threads whose name starts with {@code prefix} (from /proc/PID/comm), e.g. the
     * {@code ksoftirqd/N} threads; empty where /proc cannot be listed.
     */
    public static List<Long> kernelThreads(String prefix) {
        List<Long> pids = new java.util.ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    if (Files.readString(p.resolve("comm")).startsWith(prefix)) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // The process ended while listing: not a kernel thread we want.
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.copyOf(pids);
    }

    /** Open file descriptors: listening socket, connections and the JVM's own. */
    public static int openFds(long pid) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path ignored : fds) n++;
        }
        return n;
    }

    /** The soft limit on open files of this process (children inherit it), or -1. */
    /** How many ephemeral ports the kernel hands out per source address ({@code ip_local_port_range}); 0 when unknown. */
    public static int ephemeralPortCount() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public static long openFileLimit() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) {
                    String soft = l.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}

package study.echo.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a server's resource counters from {@code /proc/<pid>} (Linux, see proc(5)). CPU time covers
 * every thread, dead ones included; context switches are summed over the live threads
 * ({@code /proc/<pid>/status} alone counts the main thread only).
 */
final class ProcStats {
    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat. 100 on every mainstream Linux build. */
    static final long CLOCK_TICKS_PER_S = 100;

    private ProcStats() {}

    /** A moment's counters. Memory in KiB; -1 where unknown. */
    record Snapshot(long nanoTime, double cpuSeconds, long rssKib, long hwmKib, int threads,
                    long voluntaryCtxSwitches, long involuntaryCtxSwitches) {}

    static boolean available(long pid) {
        return Files.isDirectory(Path.of("/proc", Long.toString(pid)));
    }

    /** CPU seconds, user plus system, from /proc/<pid>/stat. */
    static double cpuSeconds(long pid) throws IOException {
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
    static long statusField(List<String> lines, String name) {
        for (String l : lines) {
            if (l.startsWith(name + ":")) {
                String v = l.substring(name.length() + 1).trim();
                int sp = v.indexOf(' ');
                return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
            }
        }
        return -1;
    }

    static List<String> status(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
    }

    /** Cheap: CPU, memory and thread count, without the per-thread context switches. */
    static Snapshot light(long pid) throws IOException {
        List<String> s = status(pid);
        return new Snapshot(System.nanoTime(), cpuSeconds(pid), statusField(s, "VmRSS"), statusField(s, "VmHWM"),
                (int) statusField(s, "Threads"), -1, -1);
    }

    /** Everything, context switches summed over /proc/<pid>/task/*. Costs one file read per thread. */
    static Snapshot full(long pid) throws IOException {
        long vol = 0;
        long invol = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    List<String> s = Files.readAllLines(t.resolve("status"));
                    vol += statusField(s, "voluntary_ctxt_switches");
                    invol += statusField(s, "nonvoluntary_ctxt_switches");
                } catch (IOException threadGone) {
                    // The thread ended between listing and reading; its switches are lost, which
                    // the javadoc states.
                }
            }
        }
        Snapshot l = light(pid);
        return new Snapshot(l.nanoTime(), l.cpuSeconds(), l.rssKib(), l.hwmKib(), l.threads(), vol, invol);
    }

    /** Open file descriptors: listening socket, connections and the JVM's own. */
    static int openFds(long pid) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path ignored : fds) n++;
        }
        return n;
    }

    /** The soft limit on open files of this process (children inherit it), or -1. */
    static long openFileLimit() {
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

package study.echo.bench.compare.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole machine's CPU counters from the aggregate {@code cpu} line of {@code /proc/stat} (see
 * proc(5)), in USER_HZ ticks summed over every CPU. What the rest of the machine did over a window is
 * its busy time less the server's and the client's own: a build, a test run or another benchmark
 * beside the measurement shows up there.
 *
 * @param busyTicks user + nice + system + irq + softirq: time some CPU ran something (guest time is
 *     already inside user and nice)
 * @param stealTicks time the hypervisor ran someone else while this VM wanted a CPU
 */
public record MachineCpu(long busyTicks, long stealTicks) {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The counters now. */
    public static MachineCpu read() throws IOException {
        return parse(Files.readAllLines(PROC_STAT));
    }

    /** Parses the lines of /proc/stat; throws when the aggregate {@code cpu} line is missing or short. */
    static MachineCpu parse(List<String> procStat) throws IOException {
        for (String line : procStat) {
            if (!line.startsWith("cpu ")) continue;
            String[] f = line.substring(4).trim().split("\\s+");
            if (f.length < 8) throw new IOException("/proc/stat: short cpu line: " + line);
            long user = Long.parseLong(f[0]);
            long nice = Long.parseLong(f[1]);
            long system = Long.parseLong(f[2]);
            long irq = Long.parseLong(f[5]);
            long softirq = Long.parseLong(f[6]);
            long steal = Long.parseLong(f[7]);
            return new MachineCpu(user + nice + system + irq + softirq, steal);
        }
        throw new IOException("/proc/stat has no aggregate cpu line");
    }

    /** Busy CPU seconds from {@code earlier} to this one. */
    public double busySecondsSince(MachineCpu earlier) {
        return (busyTicks - earlier.busyTicks) / (double) ProcStats.CLOCK_TICKS_PER_S;
    }

    /** Stolen CPU seconds from {@code earlier} to this one. */
    public double stealSecondsSince(MachineCpu earlier) {
        return (stealTicks - earlier.stealTicks) / (double) ProcStats.CLOCK_TICKS_PER_S;
    }
}

package study.echo.bench.compare.measure;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import study.echo.bench.compare.results.SyscallCounts;
import study.echo.bench.compare.plan.CompareOptions;
import study.echo.common.BadOptionException;
import study.echo.common.UserException;
import study.echo.launch.Children;
import study.echo.launch.Commands;

/**
 * How {@code --syscalls} counts a server's system calls and context switches: perf's tracepoints, strace,
 * or not at all, chosen and checked once at start-up so that a run does not discover at its first point
 * that the counter cannot count here.
 *
 * @param tool {@link SyscallCounts#PERF}, {@link SyscallCounts#STRACE} or {@link SyscallCounts#NONE}
 * @param mode what was asked for: auto, perf, strace or off
 * @param calls the system calls counted one by one (perf: those whose tracepoint exists here)
 * @param note why nothing is counted, or what the counter costs; one line, null when there is nothing to say
 */
public record SyscallCounter(String tool, String mode, List<String> calls, String note) {
    /**
     * The calls that tell the designs apart: the echo's reads and writes in each form a server uses, the
     * readiness waits (epoll, and poll for selector-poll), and futex, which is a thread waking another.
     */
    public static final List<String> TRACKED_CALLS = List.of("read", "write", "readv", "writev", "recvfrom", "sendto",
            "epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "poll", "ppoll", "futex");

    /** The key of environment.json that records the counter. */
    public static final String KEY = "syscall_counter";

    static final String HOW_TO_GET_PERF = "install perf (Debian: apt install linux-perf; Ubuntu: linux-tools-$(uname -r);"
            + " Fedora: dnf install perf) and run as root or with kernel.perf_event_paranoid=-1 and tracefs readable";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    /** Runs a probe command: its exit and output, or null when it cannot start (not installed). */
    public interface Probe {
        Commands.Result run(List<String> command) throws InterruptedException;
    }

    /** The machine's own commands. */
    public static final Probe MACHINE = command -> {
        try {
            return Commands.run(new Children(), new ProcessBuilder(command), PROBE_TIMEOUT);
        } catch (IOException e) {
            return null;
        } catch (TimeoutException e) {
            return new Commands.Result(-1, e.getMessage());
        }
    };

    public SyscallCounter {
        calls = List.copyOf(calls);
    }

    public static SyscallCounter off(String why) {
        return new SyscallCounter(SyscallCounts.NONE, "off", List.of(), why);
    }

    /**
     * The counter {@code mode} asks for on this machine. auto takes perf when it can count here, else
     * none, with the reason; perf and strace named but unusable are an error before the run.
     */
    public static SyscallCounter choose(String mode, Probe probe) throws InterruptedException {
        String m = mode == null ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        switch (m) {
            case "off":
                return off("system calls not counted: --syscalls off");
            case "auto":
            case "perf": {
                String unusable = perfUnusable(probe);
                if (unusable == null) return new SyscallCounter(SyscallCounts.PERF, m, perfCalls(probe), null);
                if (m.equals("perf")) throw new UserException("--syscalls perf: " + unusable + "; " + HOW_TO_GET_PERF);
                return new SyscallCounter(SyscallCounts.NONE, m, List.of(),
                        "system calls and context switches per message not counted: " + unusable + "; to count them, "
                                + HOW_TO_GET_PERF);
            }
            case "strace": {
                Commands.Result r = probe.run(List.of("strace", "-V"));
                if (r == null) throw new UserException("--syscalls strace: strace is not installed (apt install strace)");
                if (!r.ok()) throw new UserException("--syscalls strace: 'strace -V' failed: " + firstLine(r.output()));
                return new SyscallCounter(SyscallCounts.STRACE, m, TRACKED_CALLS,
                        "counted with strace, which stops the server at every system call: these points' throughput,"
                                + " latency and CPU are distorted, and context switches are not counted");
            }
            default:
                throw new BadOptionException("--syscalls wants one of " + String.join(", ", CompareOptions.SYSCALL_MODES)
                        + ", got '" + mode + "'");
        }
    }

    /** Why perf cannot count the two events every point needs, or null when it can. */
    private static String perfUnusable(Probe probe) throws InterruptedException {
        Commands.Result r = probe.run(List.of("perf", "stat", "-x,", "-e",
                CounterOutput.ALL_SYSCALLS, "-e", CounterOutput.CONTEXT_SWITCHES, "true"));
        if (r == null) return "perf is not installed";
        if (!r.ok()) return "perf cannot count " + CounterOutput.ALL_SYSCALLS + " here: " + firstLine(r.output());
        try {
            CounterOutput.Tallies t = CounterOutput.perf(r.output());
            if (!t.counts().containsKey(CounterOutput.ALL_SYSCALLS) || !t.counts().containsKey(CounterOutput.CONTEXT_SWITCHES)) {
                return "perf does not count " + CounterOutput.ALL_SYSCALLS + " and " + CounterOutput.CONTEXT_SWITCHES
                        + " here (not counted: " + String.join(", ", t.notCounted()) + ")";
            }
        } catch (CounterOutput.FormatException e) {
            return "perf's output is not understood: " + e.getMessage();
        }
        return null;
    }

    /** The tracked calls whose tracepoint perf can count here: one probe for all, one per call if that fails. */
    private static List<String> perfCalls(Probe probe) throws InterruptedException {
        if (perfCounts(probe, TRACKED_CALLS)) return TRACKED_CALLS;
        List<String> found = new ArrayList<>();
        for (String c : TRACKED_CALLS) if (perfCounts(probe, List.of(c))) found.add(c);
        return found;
    }

    private static boolean perfCounts(Probe probe, List<String> calls) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("perf", "stat", "-x,"));
        for (String c : calls) cmd.addAll(List.of("-e", CounterOutput.CALL_PREFIX + c));
        cmd.add("true");
        Commands.Result r = probe.run(cmd);
        return r != null && r.ok();
    }

    /** The command that counts process {@code pid} into {@code output} until it gets SIGINT. */
    List<String> command(long pid, java.nio.file.Path output) {
        return switch (tool) {
            case SyscallCounts.PERF -> {
                List<String> cmd = new ArrayList<>(List.of("perf", "stat", "-x,", "-I",
                        Integer.toString(CounterOutput.INTERVAL_MILLIS), "-o", output.toString(),
                        "-e", CounterOutput.ALL_SYSCALLS, "-e", CounterOutput.CONTEXT_SWITCHES));
                for (String c : calls) cmd.addAll(List.of("-e", CounterOutput.CALL_PREFIX + c));
                cmd.addAll(List.of("-p", Long.toString(pid)));
                yield cmd;
            }
            // -f with -p attaches every thread the process has, and those it starts.
            case SyscallCounts.STRACE -> List.of("strace", "-c", "-f", "-o", output.toString(), "-p", Long.toString(pid));
            default -> throw new IllegalStateException("no counter to start");
        };
    }

    public boolean counts() {
        return !tool.equals(SyscallCounts.NONE);
    }

    /** What environment.json records. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("counter", tool);
        json.put("mode", mode);
        json.put("calls", calls);
        json.put("note", note);
        return json;
    }

    private static String firstLine(String text) {
        for (String l : text.split("\n")) {
            if (!l.isBlank() && !l.startsWith("#")) return l.strip();
        }
        return "(no output)";
    }
}

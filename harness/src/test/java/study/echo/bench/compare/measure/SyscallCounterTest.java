package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import study.echo.bench.compare.results.SyscallCounts;
import study.echo.common.BadOptionException;
import study.echo.common.UserException;
import study.echo.launch.Commands;

/** --syscalls: which counter each mode takes on a machine with and without perf, probed once. */
class SyscallCounterTest {
    /** A machine whose commands answer as given: null for one that is not installed. */
    private static final class Machine implements SyscallCounter.Probe {
        final List<List<String>> asked = new ArrayList<>();
        final Commands.Result perfStat;
        final boolean tracepointsOneByOne;

        Machine(Commands.Result perfStat, boolean tracepointsOneByOne) {
            this.perfStat = perfStat;
            this.tracepointsOneByOne = tracepointsOneByOne;
        }

        @Override
        public Commands.Result run(List<String> command) {
            asked.add(command);
            if (command.get(0).equals("strace")) return new Commands.Result(0, "strace -- version 6.1");
            if (perfStat == null || !command.contains(CounterOutput.ALL_SYSCALLS)) {
                // The per-call probe: all at once fails when asked to, each alone succeeds but for futex.
                if (perfStat == null) return null;
                boolean all = command.stream().filter(a -> a.startsWith(CounterOutput.CALL_PREFIX)).count() > 1;
                boolean futex = command.contains(CounterOutput.CALL_PREFIX + "futex");
                return new Commands.Result(all && tracepointsOneByOne || !all && futex ? 129 : 0, "");
            }
            return perfStat;
        }
    }

    private static final Commands.Result PERF_COUNTS = new Commands.Result(0,
            "1400,,raw_syscalls:sys_enter,1357212,100.00,,\n3,,context-switches,1357212,100.00,,\n");

    @Test
    void autoTakesPerfWhenItCountsHereWithEveryTrackedCall() throws Exception {
        Machine m = new Machine(PERF_COUNTS, false);
        SyscallCounter c = SyscallCounter.choose("auto", m);
        assertEquals(SyscallCounts.PERF, c.tool());
        assertTrue(c.counts());
        assertEquals(SyscallCounter.TRACKED_CALLS, c.calls());
        assertEquals(2, m.asked.size(), "one probe for the events, one for every call at once: " + m.asked);
        List<String> cmd = c.command(4242, Path.of("/tmp/x.csv"));
        assertEquals(List.of("perf", "stat", "-x,", "-I", "1000", "-o", "/tmp/x.csv"), cmd.subList(0, 7));
        assertTrue(cmd.contains(CounterOutput.ALL_SYSCALLS) && cmd.contains(CounterOutput.CONTEXT_SWITCHES)
                && cmd.contains(CounterOutput.CALL_PREFIX + "epoll_ctl"), cmd.toString());
        assertEquals(List.of("-p", "4242"), cmd.subList(cmd.size() - 2, cmd.size()));
    }

    @Test
    void aTracepointMissingHereIsLeftOutNotTheWholeCounter() throws Exception {
        SyscallCounter c = SyscallCounter.choose("perf", new Machine(PERF_COUNTS, true));
        assertEquals(SyscallCounts.PERF, c.tool());
        assertFalse(c.calls().contains("futex"), c.calls().toString());
        assertTrue(c.calls().contains("read") && c.calls().contains("epoll_wait"), c.calls().toString());
    }

    @Test
    void autoWithoutPerfCountsNothingAndSaysHowToGetIt() throws Exception {
        SyscallCounter c = SyscallCounter.choose("auto", new Machine(null, false));
        assertEquals(SyscallCounts.NONE, c.tool());
        assertFalse(c.counts());
        assertTrue(c.note().contains("perf is not installed") && c.note().contains("apt install linux-perf"), c.note());
        assertEquals("none", c.toJson().get("counter"));
        assertEquals(c.note(), c.toJson().get("note"));
    }

    @Test
    void autoWithAPerfThatMayNotCountSaysWhy() throws Exception {
        Commands.Result denied = new Commands.Result(255, "Error:\nNo permissions to read /sys/kernel/tracing/events/raw_syscalls/sys_enter\n");
        SyscallCounter c = SyscallCounter.choose("auto", new Machine(denied, false));
        assertEquals(SyscallCounts.NONE, c.tool());
        assertTrue(c.note().contains("perf cannot count raw_syscalls:sys_enter here: Error:"), c.note());
        Commands.Result unsupported = new Commands.Result(0,
                "<not supported>,,raw_syscalls:sys_enter,0,100.00,,\n3,,context-switches,1357212,100.00,,\n");
        SyscallCounter u = SyscallCounter.choose("auto", new Machine(unsupported, false));
        assertEquals(SyscallCounts.NONE, u.tool());
        assertTrue(u.note().contains("not counted: raw_syscalls:sys_enter"), u.note());
    }

    @Test
    void perfOrStraceNamedButMissingIsAnErrorBeforeTheRun() {
        UserException e = assertThrows(UserException.class, () -> SyscallCounter.choose("perf", new Machine(null, false)));
        assertTrue(e.getMessage().startsWith("--syscalls perf: perf is not installed"), e.getMessage());
        SyscallCounter.Probe noStrace = command -> null;
        UserException s = assertThrows(UserException.class, () -> SyscallCounter.choose("strace", noStrace));
        assertTrue(s.getMessage().contains("strace is not installed"), s.getMessage());
        assertThrows(BadOptionException.class, () -> SyscallCounter.choose("dtrace", noStrace));
    }

    @Test
    void straceSaysItDistortsAndOffCountsNothing() throws Exception {
        SyscallCounter s = SyscallCounter.choose("strace", new Machine(null, false));
        assertEquals(SyscallCounts.STRACE, s.tool());
        assertTrue(s.note().contains("distorted"), s.note());
        assertEquals(List.of("strace", "-c", "-f", "-o", "/tmp/s.txt", "-p", "7"), s.command(7, Path.of("/tmp/s.txt")));
        Machine untouched = new Machine(PERF_COUNTS, false);
        SyscallCounter off = SyscallCounter.choose("OFF", untouched);
        assertFalse(off.counts());
        assertNotNull(off.note());
        assertTrue(untouched.asked.isEmpty(), "off probes nothing");
    }
}

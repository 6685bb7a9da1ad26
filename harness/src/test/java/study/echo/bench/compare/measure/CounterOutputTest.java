package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * perf's and strace's output, as captured on this machine (perf 6.1, strace 6.1) by {@code compare
 * --syscalls}: the loom-virtual fixture is a 1 s window at 100 connections, stopped by SIGINT part way
 * through its second interval; the plain one perf without -I, attached to a sleeping process.
 */
class CounterOutputTest {
    private static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/syscalls").resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void perfIntervalsAreSummedAndTheLastTimeStampIsTheWindow() throws Exception {
        CounterOutput.Tallies t = CounterOutput.perf(fixture("perf-stat-interval-loom-virtual.csv"));
        // Sums over both intervals, as awk computes them from the fixture.
        assertEquals(43074L, t.counts().get(CounterOutput.ALL_SYSCALLS));
        assertEquals(1059L, t.counts().get(CounterOutput.CONTEXT_SWITCHES));
        assertEquals(20048L, t.counts().get(CounterOutput.CALL_PREFIX + "read"));
        assertEquals(10050L, t.counts().get(CounterOutput.CALL_PREFIX + "write"));
        assertEquals(10366L, t.counts().get(CounterOutput.CALL_PREFIX + "epoll_ctl"));
        assertEquals(1524L, t.counts().get(CounterOutput.CALL_PREFIX + "futex"));
        assertEquals(0L, t.counts().get(CounterOutput.CALL_PREFIX + "poll"));
        assertEquals(15, t.counts().size());
        assertEquals(1.491841970, t.durationS(), 1e-9);
        assertEquals(List.of(), t.notCounted());
    }

    @Test
    void perfWithoutIntervalsHasNoDurationAndNamesWhatItDidNotCount() throws Exception {
        CounterOutput.Tallies t = CounterOutput.perf(fixture("perf-stat-plain.csv"));
        // duration_time is a count like any other here: with -p it is summed over threads, so it is not the window.
        assertEquals(988203445L, t.counts().get("duration_time"));
        assertNull(t.durationS());
        assertEquals(List.of(CounterOutput.ALL_SYSCALLS), t.notCounted());
        assertNull(t.counts().get(CounterOutput.ALL_SYSCALLS));
    }

    @Test
    void perfOutputThatIsNotCountsIsRefusedWithTheLine() {
        CounterOutput.FormatException e = assertThrows(CounterOutput.FormatException.class,
                () -> CounterOutput.perf("# started on Tue\n\nfailed to attach: No such process\n"));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("No such process"), e.getMessage());
        assertThrows(CounterOutput.FormatException.class, () -> CounterOutput.perf("# started on Tue\n"));
        assertThrows(CounterOutput.FormatException.class,
                () -> CounterOutput.perf("1.000,12x,,raw_syscalls:sys_enter,5,100.00,,\n"));
    }

    @Test
    void straceCallsAreReadFromTheirColumnWhetherOrNotTheyFailed() throws Exception {
        CounterOutput.Tallies t = CounterOutput.strace(fixture("strace-c-selector-1.txt"));
        assertEquals(7210L, t.counts().get("read"));
        assertEquals(7210L, t.counts().get("write"));
        assertEquals(73L, t.counts().get("epoll_wait"));
        // A row with an errors column: calls, not errors.
        assertEquals(8L, t.counts().get("futex"));
        assertEquals(3L, t.counts().get("restart_syscall"));
        assertEquals(14506L, t.counts().get("total"));
        assertNull(t.durationS());
    }

    @Test
    void anOlderStraceTotalRowWithoutUsecsPerCallStillChecksOut() throws Exception {
        String older = """
                % time     seconds  usecs/call     calls    errors syscall
                ------ ----------- ----------- --------- --------- ----------------
                 60.00    0.000060          10         6         1 read
                 40.00    0.000040          10         4           write
                ------ ----------- ----------- --------- --------- ----------------
                100.00    0.000100                    10         1 total
                """;
        CounterOutput.Tallies t = CounterOutput.strace(older);
        assertEquals(10L, t.counts().get("total"));
        assertEquals(6L, t.counts().get("read"));
    }

    @Test
    void straceOutputWithoutItsTableOrWithAWrongTotalIsRefused() {
        assertThrows(CounterOutput.FormatException.class,
                () -> CounterOutput.strace("strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted\n"));
        assertThrows(CounterOutput.FormatException.class, () -> CounterOutput.strace("oops\n"));
        String wrongTotal = """
                % time     seconds  usecs/call     calls    errors syscall
                 60.00    0.000060          10         6           read
                100.00    0.000100          10         7           total
                """;
        CounterOutput.FormatException e = assertThrows(CounterOutput.FormatException.class,
                () -> CounterOutput.strace(wrongTotal));
        assertTrue(e.getMessage().contains("sum 6"), e.getMessage());
    }
}

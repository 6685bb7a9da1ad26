package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.results.SyscallCounts;
import study.echo.launch.Children;

/** One point's count: the division by messages, and a counter that is off or fails leaving the cells empty. */
class SyscallWindowTest {
    @TempDir
    Path dir;

    private static final SyscallCounter PERF = new SyscallCounter(SyscallCounts.PERF, "perf", List.of("read", "write", "futex"), null);

    @Test
    void perfCountsAreDividedByTheMessagesInItsWindow() {
        CounterOutput.Tallies t = new CounterOutput.Tallies(Map.of(CounterOutput.ALL_SYSCALLS, 4500L,
                CounterOutput.CONTEXT_SWITCHES, 150L, CounterOutput.CALL_PREFIX + "read", 2000L,
                CounterOutput.CALL_PREFIX + "write", 1000L), 1.5, List.of());
        SyscallCounts c = SyscallWindow.perMessage(PERF, t, 1000);
        assertEquals(4.5, c.syscallsPerMsg(), 1e-12);
        assertEquals(0.15, c.ctxSwitchesPerMsg(), 1e-12);
        assertEquals(Map.of("read", 2.0, "write", 1.0), c.byCallPerMsg(), "futex was not counted, so it is not zero");
        assertEquals("perf", c.counter());
    }

    @Test
    void straceCountsNoSwitchesAndACallItDidNotListWasNotMade() {
        SyscallCounter strace = new SyscallCounter(SyscallCounts.STRACE, "strace", List.of("read", "futex"), "distorted");
        CounterOutput.Tallies t = new CounterOutput.Tallies(Map.of("total", 300L, "read", 100L), null, List.of());
        SyscallCounts c = SyscallWindow.perMessage(strace, t, 100);
        assertEquals(3.0, c.syscallsPerMsg(), 1e-12);
        assertNull(c.ctxSwitchesPerMsg());
        assertEquals(Map.of("read", 1.0, "futex", 0.0), c.byCallPerMsg());
        assertTrue(c.distortsTiming());
    }

    @Test
    void noMessageMeansNothingCounted() {
        CounterOutput.Tallies t = new CounterOutput.Tallies(Map.of(CounterOutput.ALL_SYSCALLS, 10L), 1.0, List.of());
        assertNull(SyscallWindow.perMessage(PERF, t, 0).syscallsPerMsg());
    }

    @Test
    void offStartsNothingAndLeavesTheCellsEmpty() {
        SyscallWindow w = new SyscallWindow(SyscallCounter.off("--syscalls off"), new Children(), 1, dir.resolve("o"), dir.resolve("l"));
        w.windowStarted();
        w.windowEnded();
        List<String> notes = new ArrayList<>();
        SyscallCounts c = w.result(1000, 1, notes);
        assertEquals(SyscallCounts.notCounted(SyscallCounts.NONE), c);
        assertEquals(List.of(), notes);
    }

    @Test
    void aWindowNeverReachedSaysSo() {
        SyscallWindow w = new SyscallWindow(PERF, new Children(), 1, dir.resolve("o"), dir.resolve("l"));
        List<String> notes = new ArrayList<>();
        SyscallCounts c = w.result(1000, 1, notes);
        assertEquals(SyscallCounts.notCounted(SyscallCounts.PERF), c);
        assertEquals(List.of("system calls not counted: the measured window was not reached"), notes);
    }

    /** A real perf that cannot attach (no such process) must not fail the point: empty cells and perf's reason. */
    @Test
    @Timeout(60)
    void aPerfThatFailsLeavesTheCellsEmptyWithItsReason() throws Exception {
        SyscallCounter perf = SyscallCounter.choose("auto", SyscallCounter.MACHINE);
        assumeTrue(perf.counts(), "perf cannot count here: " + perf.note());
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long gone = p.pid();
        SyscallWindow w = new SyscallWindow(perf, new Children(), gone, dir.resolve("out.csv"), dir.resolve("perf.log"));
        w.windowStarted();
        Thread.sleep(200);
        w.windowEnded();
        List<String> notes = new ArrayList<>();
        SyscallCounts c = w.result(1000, 1, notes);
        assertEquals(SyscallCounts.notCounted(SyscallCounts.PERF), c);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("system calls not counted: perf exited with code "), notes.get(0));
    }

    /** A real perf attached to a real process that makes system calls: counts per message, over its window. */
    @Test
    @Timeout(60)
    void aRealPerfCountsARealProcess() throws Exception {
        SyscallCounter perf = SyscallCounter.choose("auto", SyscallCounter.MACHINE);
        assumeTrue(perf.counts(), "perf cannot count here: " + perf.note());
        // dd copies 512-byte blocks from /dev/zero to /dev/null: one read and one write per block, for ever.
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=512").start();
        try {
            SyscallWindow w = new SyscallWindow(perf, new Children(), dd.pid(), dir.resolve("out.csv"), dir.resolve("perf.log"));
            w.windowStarted();
            Thread.sleep(1500);
            w.windowEnded();
            CounterOutput.Tallies t = CounterOutput.perf(java.nio.file.Files.readString(waitFor(w, dir.resolve("out.csv"))));
            long reads = t.counts().get(CounterOutput.CALL_PREFIX + "read");
            assertTrue(reads > 1000, "dd reads: " + reads);
            assertTrue(t.durationS() > 0.3 && t.durationS() < 1.6, "perf's window: " + t.durationS());
            // One message per block read: a read and a write each, and little else.
            List<String> notes = new ArrayList<>();
            SyscallCounts c = w.result(reads, 1.0, notes);
            assertEquals(List.of(), notes);
            assertEquals(SyscallCounts.PERF, c.counter());
            // result() scales the messages to perf's window: here they were counted in it, so undo the scale.
            double perMsg = c.syscallsPerMsg() * t.durationS();
            assertTrue(perMsg > 1.95 && perMsg < 2.2, "system calls per block: " + perMsg);
            assertTrue(c.ctxSwitchesPerMsg() != null, c.toString());
        } finally {
            dd.destroyForcibly();
            dd.waitFor();
        }
    }

    /** The counter's file once it has exited (result() waits for that; the test reads the file first). */
    private static Path waitFor(SyscallWindow w, Path file) {
        w.close();
        return file;
    }
}

package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.measure.SyscallCounter;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Summary;
import study.echo.bench.compare.results.SyscallCounts;

/** {@code compare --syscalls} on a real server: perf attached for the measured window of a short point, and off. */
class SyscallsEndToEndTest {
    @TempDir
    Path tmp;

    private PointResult onePoint(Path run, String syscalls) throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(100), "compare", "--out", run.toString(),
                "--variants", "selector-1", "--connections", "2", "--sizes", "64", "--rates", "none",
                "--idle-connections", "0", "--warmup", "0s", "--duration", "1s", "--syscalls", syscalls);
        assertEquals(0, r.exitCode(), r.stderr());
        List<PointResult> rows = Summary.read(run.resolve(Summary.FILE)).rows();
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    @Test
    @Timeout(150)
    void perfCountsTheServerOverTheMeasuredWindow() throws Exception {
        SyscallCounter perf = SyscallCounter.choose("auto", SyscallCounter.MACHINE);
        assumeTrue(perf.counts(), "perf cannot count here: " + perf.note());
        Path run = tmp.resolve("perf");
        PointResult row = onePoint(run, "perf");
        assertTrue(row.ok(), row.toString());
        SyscallCounts c = row.syscalls();
        assertNotNull(c, row.toString());
        assertEquals(SyscallCounts.PERF, c.counter());
        // Every echoed message costs the Selector loop a read and a write at least; two connections share
        // few wake-ups, so there is an epoll_wait for most messages too. The bounds leave room for the
        // window's alignment with the client's on a busy machine.
        assertNotNull(c.syscallsPerMsg(), row.reason());
        assertTrue(c.syscallsPerMsg() > 1.5 && c.syscallsPerMsg() < 10, c.toString());
        assertTrue(c.byCallPerMsg().get("read") > 0.6 && c.byCallPerMsg().get("read") < 1.6, c.toString());
        assertTrue(c.byCallPerMsg().get("write") > 0.6 && c.byCallPerMsg().get("write") < 1.6, c.toString());
        assertNotNull(c.ctxSwitchesPerMsg(), c.toString());
        assertTrue(Files.readString(run.resolve("points").resolve(row.id().key() + "-syscalls.txt"))
                .contains(",raw_syscalls:sys_enter,"));
        assertTrue(Files.readString(run.resolve("environment.json")).contains("\"counter\" : \"perf\""));
        assertTrue(Files.readString(run.resolve("report.md")).contains("#### Closed loop: system calls per message"));
    }

    @Test
    @Timeout(150)
    void offLeavesTheCellsEmptyAndTheReportSaysSo() throws Exception {
        Path run = tmp.resolve("off");
        PointResult row = onePoint(run, "off");
        assertTrue(row.ok(), row.toString());
        assertEquals(SyscallCounts.NONE, row.syscalls().counter());
        assertNull(row.syscalls().syscallsPerMsg());
        assertNull(row.syscalls().ctxSwitchesPerMsg());
        assertTrue(Files.readString(run.resolve("environment.json")).contains("\"counter\" : \"none\""));
        assertTrue(Files.readString(run.resolve("report.md")).contains("System calls not counted: --syscalls off."));
        assertTrue(Files.list(run.resolve("points")).noneMatch(f -> f.toString().endsWith("-syscalls.txt")));
    }
}

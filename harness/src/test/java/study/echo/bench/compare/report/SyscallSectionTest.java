package study.echo.bench.compare.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.measure.Environment;
import study.echo.bench.compare.measure.SyscallCounter;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Rows;
import study.echo.bench.compare.results.Summary;
import study.echo.bench.compare.results.SyscallCounts;

/** The report's system-call section: medians by variant, the counter's distortion, and one line when nothing was counted. */
class SyscallSectionTest {
    @TempDir
    Path dir;

    private static final String TITLE = "### System calls and context switches per message";

    private String report(List<PointResult> rows, SyscallCounter counter) throws Exception {
        try (Summary s = Summary.open(dir)) {
            for (PointResult r : rows) s.append(r);
        }
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("profile", "quick");
        if (counter != null) env.put(SyscallCounter.KEY, counter.toJson());
        Environment.write(dir, env);
        return new Report(dir).markdown(List.of());
    }

    private static PointResult closed(String variant, int rep, Double syscalls, Double switches, String counter) {
        return Rows.closed(variant, 100, rep, 50000, 900).withSyscalls(new SyscallCounts(counter, syscalls, switches,
                syscalls == null ? Map.of() : new LinkedHashMap<>(Map.of("read", syscalls / 2, "futex", 0.001))));
    }

    @Test
    void perfCountsAreTabledByVariantWithTheRangeOfTheRepetitions() throws Exception {
        SyscallCounter perf = new SyscallCounter(SyscallCounts.PERF, "auto", SyscallCounter.TRACKED_CALLS, null);
        String md = report(List.of(closed("selector-1", 1, 2.1, 0.004, "perf"), closed("selector-1", 2, 2.3, 0.011, "perf"),
                closed("loom-virtual", 1, 4.6, 0.15, "perf"), Rows.open("selector-1", 20000, 1, 19990, 400, 5000)
                        .withSyscalls(new SyscallCounts("perf", 2.5, 0.02, Map.of()))), perf);
        assertTrue(md.contains(TITLE), md);
        assertTrue(md.contains("evidence for why a design costs what it does"), md);
        assertTrue(md.contains("| 64 | none | 100 | 2.2 (2.1–2.3) | 4.6 |"), md);
        assertTrue(md.contains("| 64 | none | 100 | 0.0075 (0.004–0.011) | 0.15 |"), md);
        // By call: read is shown, futex is below the threshold everywhere.
        assertTrue(md.contains("| 64 | none | 100 | `read` | 1.1 (1.05–1.15) | 2.3 |"), md);
        assertFalse(md.contains("`futex`"), md);
        assertTrue(md.contains("#### Open loop: system calls per message, by offered load"), md);
        assertTrue(md.contains("| 64 | none | 100 | even | 20,000 | 2.5 | – |"), md);
        assertFalse(md.contains("distorted"), md);
    }

    @Test
    void straceCountsComeWithTheirDistortionAndAFailedCountIsListedWithItsReason() throws Exception {
        SyscallCounter strace = new SyscallCounter(SyscallCounts.STRACE, "strace", SyscallCounter.TRACKED_CALLS, "distorted");
        PointResult r = Rows.closed("loom-virtual", 100, 1, 50000, 900);
        PointResult failed = new PointResult(r.id(), r.times(), r.status(),
                "system calls not counted: strace exited with code 1: attach: Operation not permitted", r.client(),
                r.server(), r.noise(), r.idle(), r.verdicts(), r.hgrmFile(), r.hlogFile())
                .withSyscalls(SyscallCounts.notCounted("strace"));
        String md = report(List.of(closed("selector-1", 1, 1.9, null, "strace"), failed), strace);
        assertTrue(md.contains("**Points counted with strace are distorted**"), md);
        assertTrue(md.contains("Not counted at 1 point(s):"), md);
        assertTrue(md.contains("- loom-virtual_closed_c100_s64_r1: system calls not counted: strace exited with code 1:"
                + " attach: Operation not permitted"), md);
    }

    @Test
    void aRunThatCouldNotCountSaysSoInOneLineWithHowToCount() throws Exception {
        SyscallCounter none = SyscallCounter.choose("auto", command -> null);
        String md = report(List.of(Rows.closed("selector-1", 100, 1, 50000, 900)
                .withSyscalls(SyscallCounts.notCounted(SyscallCounts.NONE))), none);
        int at = md.indexOf(TITLE);
        assertTrue(at >= 0, md);
        String section = md.substring(at, md.indexOf("###", at + TITLE.length()));
        assertTrue(section.contains("System calls and context switches per message not counted: perf is not installed"), section);
        assertTrue(section.contains("apt install linux-perf"), section);
        assertFalse(section.contains("| 64 |"), section);
    }

    @Test
    void aRunFromBeforeTheCounterHasNoSection() throws Exception {
        String md = report(List.of(Rows.closed("selector-1", 100, 1, 50000, 900)), null);
        assertFalse(md.contains(TITLE), md);
    }
}

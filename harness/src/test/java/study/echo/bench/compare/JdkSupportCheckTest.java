package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import study.echo.launch.Children;
import study.echo.launch.JdkSupport;
import study.echo.launch.Launch;
import study.echo.launch.Variant;
import study.echo.launch.VariantProbe;

/** The JDK-support check before a run: the live probe on real servers, and the command's one line and exit 2. */
@Timeout(180)
class JdkSupportCheckTest {
    /** The servers run on the JDK that runs the tests (only JDK 25 is installed here; the rules need 22+). */
    private static final int FEATURE = Runtime.version().feature();

    @TempDir
    Path tmp;

    private final Children children = new Children();

    @BeforeEach
    void aJdkThatReadsThePollerMode() {
        assumeTrue(FEATURE >= 22 && FEATURE <= JdkSupport.CHECKED_THROUGH, "the rules of JDK 22-25 are under test");
    }

    @AfterEach
    void stopAll() {
        children.destroyAll(Duration.ofSeconds(5));
    }

    private static Variant loomWith(String name, String jvmOption) {
        return Variant.named("loom-virtual", 2).derived(name, List.of(jvmOption), List.of());
    }

    @Test
    void theLiveProbeCatchesAPollerModeThatFailsOnlyAtTheFirstBlockingRead() throws Exception {
        Optional<String> bad = VariantProbe.failure(loomWith("p3", "-Djdk.pollerMode=3"), Launch.thisJvm(null), children,
                tmp.resolve("p3.log"));
        assertTrue(bad.isPresent(), "a server that cannot read passed the probe");
        assertTrue(bad.get().contains("Can't parse '3' as polling mode"), bad.get());
        assertFalse(bad.get().contains("\n"), bad.get());
        Optional<String> good = VariantProbe.failure(Variant.named("loom-poller1", 2), Launch.thisJvm(null), children,
                tmp.resolve("p1.log"));
        assertEquals(Optional.empty(), good);
    }

    @Test
    void aVariantThatPassesTheRulesButFailsTheProbeIsOneLineAndExitTwoBeforeAnyPoint() throws Exception {
        Path out = tmp.resolve("run");
        // maxPoolSize=0 caps the scheduler's parallelism at 0: no rule knows it, the first virtual thread fails.
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(150), "compare", "--variants", "selector-1",
                "--variant", "nopool=loom-virtual:-Djdk.virtualThreadScheduler.maxPoolSize=0", "--connections", "10",
                "--sizes", "64", "--rates", "none", "--reps", "1", "--warmup", "0s", "--duration", "1s",
                "--idle-connections", "0", "--no-report", "--out", out.toString());
        assertEquals(2, r.exitCode(), r.stderr());
        List<String> errors = r.stderr().lines().filter(l -> l.contains("not supported")).toList();
        assertEquals(1, errors.size(), r.stderr());
        assertTrue(errors.getFirst().contains("variant nopool is not supported by JDK " + FEATURE), r.stderr());
        assertTrue(errors.getFirst().contains("IllegalArgumentException"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), r.stderr());
        assertFalse(Files.exists(out), "a point ran before the check");
    }

    @Test
    void anUnsupportedValueIsRefusedBeforeTheRunEvenInADryRun() throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--dry-run",
                "--variant", "p3=loom-virtual:-Djdk.pollerMode=3");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("variant p3 is not supported by JDK " + FEATURE), r.stderr());
        assertEquals(1, r.stderr().lines().filter(l -> !l.isBlank()).count(), r.stderr());
    }

    @Test
    void theLoomTuningProfileSkipsWhatDoesNotApplyButANamedRowIsAnError() throws Exception {
        BenchProcess.Result plan = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--dry-run", "--profile", "loom-tuning");
        assertEquals(0, plan.exitCode(), plan.stderr());
        assertFalse(plan.stdout().contains("loom-direct-register"), plan.stdout());
        assertTrue(plan.stdout().contains("loom-par1 closed 10000 conns 64 B"), plan.stdout());
        assertTrue(plan.stderr().contains("note: variant loom-direct-register skipped, it does not apply to JDK " + FEATURE), plan.stderr());
        BenchProcess.Result named = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--dry-run",
                "--profile", "loom-tuning", "--variants", "loom-direct-register");
        assertEquals(2, named.exitCode(), named.stderr());
        assertTrue(named.stderr().contains("variant loom-direct-register is not supported by JDK " + FEATURE), named.stderr());
    }
}

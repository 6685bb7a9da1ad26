package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.common.BadOptionException;
import study.echo.launch.Variant;

/** The static JDK-support check of a run: a profile's row that does not apply is skipped, a named one refused. */
class JdkCheckTest {
    private static final List<String> COMMON = List.of("-Xms256m", "-Xmx1g");

    private static List<String> names(List<Variant> variants) {
        return variants.stream().map(Variant::name).toList();
    }

    @Test
    void theLoomTuningProfileSkipsDirectRegisterOnJdk25WithANote() {
        JdkCheck check = JdkCheck.of(CompareOptionsTest.config("--profile", "loom-tuning"), COMMON, "JDK 25 (/jdk)", 25, false);
        assertEquals(List.of("loom-direct-register"), names(check.skipped()));
        assertFalse(names(check.config().variants()).contains("loom-direct-register"));
        assertEquals(8, check.config().variants().size());
        assertTrue(check.config().notes().stream().anyMatch(n -> n.startsWith(
                "variant loom-direct-register skipped, it does not apply to JDK 25 (/jdk): -Djdk.useDirectRegister=true:")),
                check.config().notes().toString());
    }

    @Test
    void onJdk21ItSkipsThePollerModesInstead() {
        JdkCheck check = JdkCheck.of(CompareOptionsTest.config("--profile", "loom-tuning"), COMMON, "JDK 21 (/jdk21)", 21, false);
        assertEquals(List.of("loom-poller1", "loom-poller2"), names(check.skipped()));
        assertTrue(names(check.config().variants()).contains("loom-direct-register"));
    }

    @Test
    void aVariantTheUserNamedIsABadOptionNotASkip() {
        BadOptionException named = assertThrows(BadOptionException.class, () -> JdkCheck.of(
                CompareOptionsTest.config("--variants", "selector-1,loom-direct-register"), COMMON, "JDK 25 (/jdk)", 25, true));
        assertTrue(named.getMessage().startsWith("variant loom-direct-register is not supported by JDK 25 (/jdk):"
                + " -Djdk.useDirectRegister=true: jdk.useDirectRegister is read by JDK 21 only"), named.getMessage());
        BadOptionException own = assertThrows(BadOptionException.class, () -> JdkCheck.of(
                CompareOptionsTest.config("--variant", "p3=loom-virtual:-Djdk.pollerMode=3"), COMMON, "JDK 25 (/jdk)", 25, false));
        assertTrue(own.getMessage().contains("variant p3 is not supported by JDK 25 (/jdk): -Djdk.pollerMode=3:"), own.getMessage());
    }

    @Test
    void theRunsCommonJvmOptionsAreCheckedToo() {
        CompareConfig c = CompareOptionsTest.config("--variants", "loom-virtual");
        assertThrows(BadOptionException.class, () -> JdkCheck.of(c, List.of("-Djdk.readPollers=3"), "JDK 25 (/jdk)", 25, true));
        assertEquals(List.of(), JdkCheck.of(c, COMMON, "JDK 25 (/jdk)", 25, true).skipped());
    }

    @TempDir
    Path tmp;

    /**
     * With --jdk each copy of a row is judged by the JDK it runs on: on a "JDK 21" beside the harness's 25,
     * the poller-mode rows run on 25 only and direct-register on 21 only. Judged by the harness's JDK
     * alone (the check before --jdk met it), both copies of each would share one verdict.
     */
    @Test
    void withJdkEachCopyIsJudgedByTheJdkItRunsOn() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        Path fake21 = Files.createDirectories(tmp.resolve("jdk-21").resolve("bin")).getParent();
        Files.createSymbolicLink(fake21.resolve("bin").resolve("java"), home.resolve("bin").resolve("java"));
        Files.writeString(fake21.resolve("release"), "JAVA_VERSION=\"21.0.5\"\n");
        CompareConfig c = CompareOptionsTest.config("--profile", "loom-tuning", "--jdk", "21=" + fake21 + ",25=" + home);
        JdkCheck check = JdkCheck.of(c, COMMON, "JDK 25 (" + home + ")", 25, false);
        assertEquals(List.of("loom-poller1@21", "loom-poller2@21", "loom-direct-register@25"), names(check.skipped()));
        List<String> kept = names(check.config().variants());
        assertTrue(kept.containsAll(List.of("loom-poller1@25", "loom-direct-register@21", "loom-virtual@21")), kept.toString());
        BadOptionException named = assertThrows(BadOptionException.class, () -> JdkCheck.of(
                CompareOptionsTest.config("--variants", "loom-poller1", "--jdk", "21=" + fake21 + ",25=" + home),
                COMMON, "JDK 25 (" + home + ")", 25, true));
        assertTrue(named.getMessage().startsWith("variant loom-poller1@21 is not supported by JDK 21 (" + fake21 + ")"),
                named.getMessage());
    }
}

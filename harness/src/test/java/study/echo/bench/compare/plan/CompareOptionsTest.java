package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.common.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import study.echo.common.BadOptionException;
import study.echo.launch.Launch;
import study.echo.launch.Variant;

public class CompareOptionsTest {
    @Command(name = "compare")
    static final class Holder {
        @Mixin
        CompareOptions options;
    }

    public static CompareConfig config(String... args) {
        Holder h = new Holder();
        Cli.commandLine(h).parseArgs(args);
        return h.options.toConfig(2, -1, Path.of("/tmp/results"));
    }

    private static List<String> names(CompareConfig c) {
        return c.variants().stream().map(Variant::name).toList();
    }

    @Test
    void theDefaultRunLeavesSelectorPollOutButItCanBeNamed() {
        List<String> defaults = names(config());
        assertEquals(List.of("selector-1", "selector-N", "loom-virtual", "loom-platform", "netty-nio", "netty-epoll",
                Variant.OFFLOAD_PLATFORM, Variant.OFFLOAD_VIRTUAL, Variant.NATIVE), defaults);
        assertEquals(List.of(Variant.SELECTOR_POLL), names(config("--variants", "selector-poll")));
    }

    @Test
    void aUserVariantRunsWithTheChosenOnesAndCanBeNamed() {
        CompareConfig c = config("--variants", "selector-1", "--variant", "vt-par1=loom-virtual:-Djdk.virtualThreadScheduler.parallelism=1",
                "--variant", "sel-64k=selector-1;--buffer-size=65536");
        assertEquals(List.of("selector-1", "vt-par1", "sel-64k"), names(c));
        assertEquals(List.of("-Djdk.virtualThreadScheduler.parallelism=1"), c.variants().get(1).jvmOptions());
        assertEquals(List.of("sel-64k", "selector-1"),
                names(config("--variants", "sel-64k,selector-1", "--variant", "sel-64k=selector-1;--buffer-size=65536")));
    }

    @Test
    void aDuplicateNameIsRefused() {
        BadOptionException builtIn = assertThrows(BadOptionException.class, () -> config("--variant", "selector-1=selector-N"));
        assertTrue(builtIn.getMessage().contains("--variant selector-1: a variant of that name exists already"), builtIn.getMessage());
        assertThrows(BadOptionException.class, () -> config("--variant", "a=selector-1", "--variant", "a=loom-virtual"));
    }

    @Test
    void withTwoJdksEachJavaVariantRunsOnEachInTurnAndNativeOnce(@TempDir Path tmp) throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        Path link = Files.createSymbolicLink(tmp.resolve("jdk-b"), home);
        String a = "jdk" + Runtime.version().feature();
        String b = a + "-2";
        CompareConfig c = config("--variants", "selector-1,native,loom-virtual", "--connections", "10",
                "--sizes", "64", "--rates", "none", "--idle-connections", "0", "--reps", "2",
                "--jdk", home + "," + link);
        assertEquals(List.of("selector-1@" + a, "selector-1@" + b, "native", "loom-virtual@" + a, "loom-virtual@" + b),
                names(c));
        Launch launch = new Launch(Path.of("/launcher/bin/java"), "cp", List.of(), List.of(), null, null,
                Path.of("/bin/native"), List.of());
        assertEquals(home.resolve("bin/java").toString(), c.variants().get(0).command(launch).get(0));
        assertEquals(link.resolve("bin/java").toString(), c.variants().get(1).command(launch).get(0));
        assertEquals(link.resolve("bin/jcmd"), c.variants().get(1).jcmd(launch));
        assertEquals("/launcher/bin/java", launch.clientCommand(List.of()).get(0), "the client stays on the launcher's JDK");
        assertEquals(Jdk.current().text(), c.jdkOf(c.variants().get(1)).text());
        assertEquals(b, c.jdks().get(1).label());
        assertEquals(null, c.jdkOf(c.variants().get(2)), "native has no JDK");
        // Repetition 2 starts one variant later, so drift spreads over every variant on every JDK.
        assertEquals(List.of("selector-1@" + a, "selector-1@" + b, "native", "loom-virtual@" + a, "loom-virtual@" + b,
                        "selector-1@" + b, "native", "loom-virtual@" + a, "loom-virtual@" + b, "selector-1@" + a),
                Plan.of(c).stream().map(p -> p.variant().name()).toList());
    }

    @Test
    void oneJdkRunsTheJavaVariantsOnItUnderTheirOwnNamesAndNoJdkChangesNothing(@TempDir Path tmp) throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("jdk"), Path.of(System.getProperty("java.home")));
        CompareConfig one = config("--variants", "selector-1,native", "--jdk", link.toString());
        assertEquals(List.of("selector-1", "native"), names(one));
        assertEquals(link.resolve("bin/java"), one.variants().get(0).serverJava());
        CompareConfig none = config("--variants", "selector-1,native");
        assertEquals(List.of("selector-1", "native"), names(none));
        assertEquals(null, none.variants().get(0).serverJava());
        assertEquals(List.of(), none.jdks());
        assertEquals(Jdk.current().text(), none.jdkOf(none.variants().get(0)).text(), "the run's JDK, also without --jdk");
        assertEquals(List.of(Jdk.current()), none.allJdks());
    }

    /** Counting with perf cost loom-virtual 10-18% of its throughput here: a run counts only when asked. */
    @Test
    void systemCallsAreCountedOnlyWhenAsked() {
        Holder h = new Holder();
        Cli.commandLine(h).parseArgs();
        assertEquals("off", h.options.syscallMode());
        Cli.commandLine(h).parseArgs("--syscalls", "auto");
        assertEquals("auto", h.options.syscallMode());
    }
}

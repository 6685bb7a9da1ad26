package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import study.echo.common.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import study.echo.common.BadOptionException;
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
}

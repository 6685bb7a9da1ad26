package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import study.echo.launch.Launch;
import study.echo.launch.Variant;

class EnvironmentTest {
    private static final Launch LAUNCH = new Launch(Path.of("/jdk/bin/java"), "cp.jar", List.of("-Xmx1g"), List.of(),
            null, null, Path.of("/bin/echo_server"), List.of());

    @Test
    void aVariantIsRecordedWithItsJvmAndServerOptionsAndTheCommandWordByWord() {
        Variant v = Variant.named(Variant.SELECTOR_POLL, 2).derived("poll-64k", List.of("-Dx=a b"), List.of("--buffer-size", "65536"));
        Map<String, Object> m = Environment.variant(v, LAUNCH);
        String poll = "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider";
        assertEquals("poll-64k", m.get("name"));
        assertEquals("selector", m.get("server"));
        assertEquals(List.of("-Xmx1g", poll, "-Dx=a b"), m.get("jvm_options"));
        assertEquals(List.of(poll, "-Dx=a b"), m.get("variant_jvm_options"));
        assertEquals(List.of("--port", "0", "--loops", "1", "--buffer-size", "65536"), m.get("server_options"));
        assertEquals(v.command(LAUNCH), m.get("argv"));
        assertEquals(List.of(), Environment.variant(Variant.named(Variant.NATIVE, 2), LAUNCH).get("jvm_options"));
    }
}

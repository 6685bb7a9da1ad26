package study.echo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariantTest {
    private static final Launch LAUNCH = new Launch(Path.of("/jdk/bin/java"), "cp.jar", List.of("-Xmx1g"), List.of(),
            "0", null, Path.of("/bin/echo_server"), List.of());

    @Test
    void aJavaVariantRunsItsServersMainClassWithTheServerJvmOptionsPinnedWhenTheRunPins() {
        Variant selector = Variant.named("selector-N", 4);
        assertEquals(List.of("taskset", "-c", "0", "/jdk/bin/java", "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", "cp.jar",
                "study.echo.selector.SelectorServerCommand", "--port", "0", "--loops", "4", "--host", "::1"),
                selector.command(LAUNCH, List.of("--host", "::1")));
        assertEquals(List.of("taskset", "-c", "0", "/bin/echo_server", "--host", "127.0.0.1", "--port", "0"),
                Variant.named(Variant.NATIVE, 1).command(LAUNCH));
    }

    @Test
    void anUnknownNameListsTheTable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.named("selector", 1));
        assertTrue(e.getMessage().contains("expected one of selector-1, selector-N, loom-virtual"), e.getMessage());
    }

    @Test
    void everyJavaRowNamesAMainClassOfAServerModule() {
        for (Variant v : Variant.standard(2)) {
            if (v.kind() == Variant.Kind.JAVA) assertTrue(v.mainClass().startsWith("study.echo."), v.toString());
        }
    }

    @Test
    void selectorPollAddsThePollProviderAfterTheRunsCommonJvmOptions() {
        List<String> cmd = Variant.named(Variant.SELECTOR_POLL, 4).command(LAUNCH);
        assertEquals(List.of("taskset", "-c", "0", "/jdk/bin/java", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider", "-cp", "cp.jar",
                "study.echo.selector.SelectorServerCommand", "--port", "0", "--loops", "1"), cmd);
        assertFalse(Variant.named(Variant.SELECTOR_POLL, 4).inDefaultRun());
        assertTrue(Variant.named("selector-1", 4).inDefaultRun());
    }

    @Test
    void aDerivedVariantAppendsItsJvmAndServerOptionsToItsBases() {
        Variant v = Variant.named(Variant.SELECTOR_POLL, 1).derived("poll-64k", List.of("-Dx=1"), List.of("--buffer-size", "65536"));
        assertEquals(List.of("/jdk/bin/java", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider", "-Dx=1", "-cp", "cp.jar",
                "study.echo.selector.SelectorServerCommand", "--port", "0", "--loops", "1", "--buffer-size", "65536"),
                v.command(LAUNCH).subList(3, v.command(LAUNCH).size()));
        assertEquals("poll-64k", v.name());
        assertEquals("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider -Dx=1;"
                + "--port 0 --loops 1 --buffer-size 65536", v.optionsText());
        assertTrue(v.inDefaultRun());
    }

    @Test
    void onlyAJavaVariantTakesJvmOptions() {
        assertThrows(IllegalArgumentException.class,
                () -> Variant.named(Variant.NATIVE, 1).derived("n", List.of("-Xmx1g"), List.of()));
    }

    @Test
    void theOffloadingRowsRunOneLoopWithTheirPoolAndSayItsSize() {
        Variant platform = Variant.named(Variant.OFFLOAD_PLATFORM, 4);
        assertEquals(List.of("--port", "0", "--loops", "1", "--offload", "platform:256"), platform.args());
        assertTrue(platform.description().contains("256 platform threads"), platform.description());
        assertEquals(List.of("--port", "0", "--loops", "1", "--offload", "virtual"), Variant.named(Variant.OFFLOAD_VIRTUAL, 4).args());
        assertTrue(platform.offloads());
        assertFalse(platform.waitsOnItsLoop());
        assertTrue(platform.derived("p8", List.of(), List.of("--offload=platform:8")).offloads());
        assertFalse(platform.derived("p0", List.of(), List.of("--offload", "none")).offloads(), "the last --offload wins");
    }

    @Test
    void onlyAnEventLoopWithoutOffloadWaitsOnItsLoop() {
        for (String name : List.of("selector-1", "selector-N", "netty-nio", "netty-epoll", Variant.SELECTOR_POLL)) {
            assertTrue(Variant.named(name, 2).waitsOnItsLoop(), name);
            assertFalse(Variant.named(name, 2).offloads(), name);
        }
        for (String name : List.of("loom-virtual", "loom-platform", Variant.NATIVE, Variant.OFFLOAD_VIRTUAL)) {
            assertFalse(Variant.named(name, 2).waitsOnItsLoop(), name);
        }
    }

    @Test
    void theLoomTuningRowsAreLoomVirtualWithOneJdkPropertyEachOutsideTheDefaultRun() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("loom-poller1", "-Djdk.pollerMode=1");
        expected.put("loom-poller2", "-Djdk.pollerMode=2");
        expected.put("loom-readpollers1", "-Djdk.readPollers=1");
        expected.put("loom-readpollersN", "-Djdk.readPollers=4");
        expected.put("loom-par1", "-Djdk.virtualThreadScheduler.parallelism=1");
        expected.put("loom-parN", "-Djdk.virtualThreadScheduler.parallelism=4");
        expected.put("loom-direct-register", "-Djdk.useDirectRegister=true");
        Variant base = Variant.named("loom-virtual", 4);
        expected.forEach((name, property) -> {
            Variant v = Variant.named(name, 4);
            assertEquals(List.of(property), v.jvmOptions(), name);
            assertEquals(base.mainClass(), v.mainClass(), name);
            assertEquals(base.args(), v.args(), name);
            assertFalse(v.inDefaultRun(), name);
            assertTrue(v.description().contains(property.substring(2)), v.description());
        });
    }

    @Test
    void aVariantOnAnotherJdkCarriesItsLabelAndTheBaseNameUndoesIt() {
        Variant loom = Variant.named("loom-virtual", 2);
        Path java = Path.of("/opt/jdk-21/bin/java");
        Variant on21 = loom.onJava("jdk21", java);
        assertEquals("loom-virtual@jdk21", on21.name());
        assertEquals(java, on21.serverJava());
        assertEquals("loom-virtual", Variant.baseName(on21.name()));
        assertEquals("loom-virtual", loom.onJava(null, java).name(), "one JDK only: the name as it was");
        assertEquals("selector-1", Variant.baseName("selector-1"));
    }
}

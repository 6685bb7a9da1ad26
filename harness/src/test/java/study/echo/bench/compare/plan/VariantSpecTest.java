package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import study.echo.common.BadOptionException;
import study.echo.launch.Variant;

class VariantSpecTest {
    private static final Map<String, Variant> BUILT_INS = new LinkedHashMap<>();

    static {
        for (Variant v : Variant.standard(2)) BUILT_INS.put(v.name(), v);
    }

    @Test
    void jvmOptionsFollowTheFirstColonAndServerOptionsTheFirstSemicolon() {
        assertEquals(new VariantSpec("vt-par1", "loom-virtual", List.of("-Djdk.virtualThreadScheduler.parallelism=1"), List.of()),
                VariantSpec.parse("vt-par1=loom-virtual:-Djdk.virtualThreadScheduler.parallelism=1"));
        assertEquals(new VariantSpec("sel-64k", "selector-1", List.of(), List.of("--buffer-size=65536")),
                VariantSpec.parse("sel-64k=selector-1;--buffer-size=65536"));
        // A colon inside a JVM option or a server option is not a separator.
        assertEquals(new VariantSpec("both", "selector-1", List.of("-XX:+UseParallelGC", "-Da=b"), List.of("--host", "::1")),
                VariantSpec.parse("both=selector-1: -XX:+UseParallelGC  -Da=b ;--host ::1"));
        assertEquals(new VariantSpec("alias", "native", List.of(), List.of()), VariantSpec.parse("alias=native"));
    }

    @Test
    void aResolvedSpecRunsItsBaseWithTheOptionsAdded() {
        Variant v = VariantSpec.parse("sel-64k=selector-1:-Dx=1;--buffer-size 65536").resolve(BUILT_INS);
        assertEquals("sel-64k", v.name());
        assertEquals(List.of("-Dx=1"), v.jvmOptions());
        assertEquals(List.of("--port", "0", "--loops", "1", "--buffer-size", "65536"), v.args());
        assertEquals(BUILT_INS.get("selector-1").mainClass(), v.mainClass());
    }

    @Test
    void badInputIsOneClearLine() {
        assertMessage("--variant wants NAME=BASE", () -> VariantSpec.parse("selector-1"));
        assertMessage("name '' must be", () -> VariantSpec.parse("=selector-1"));
        assertMessage("name '../x' must be", () -> VariantSpec.parse("../x=selector-1"));
        assertMessage("name 'a b' must be", () -> VariantSpec.parse("a b=selector-1"));
        assertMessage("unknown base 'selector'; choose from selector-1,",
                () -> VariantSpec.parse("x=selector:-Da=1").resolve(BUILT_INS));
        assertMessage("native is not a Java server",
                () -> VariantSpec.parse("x=native:-Xmx1g").resolve(BUILT_INS));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        BadOptionException e = assertThrows(BadOptionException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}

package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import study.echo.common.BadOptionException;
import study.echo.launch.Variant;

/** The range checks live in the record, so that no run starts outside them, whoever builds it. */
class CompareConfigTest {
    /** A valid run, changed by {@code change} applied to its {@link Values}. */
    private static CompareConfig config(UnaryOperator<Values> change) {
        Values v = change.apply(new Values());
        return new CompareConfig("quick", v.warmup, v.duration, v.reps, Variant.standard(1).subList(0, 1), v.connections,
                v.sizes, List.of(10), List.of(64), v.rates, v.idle, v.sloMicros, v.connectRate, v.clientThreads,
                Path.of("/tmp/run"), false, false, List.of());
    }

    private static final class Values {
        Duration warmup = Duration.ZERO;
        Duration duration = Duration.ofSeconds(1);
        int reps = 1;
        List<Integer> connections = List.of(10);
        List<Integer> sizes = List.of(64);
        List<Integer> rates = List.of(1000);
        int idle = 0;
        long sloMicros = 5000;
        int connectRate = 2500;
        int clientThreads = 1;
    }

    private static void refused(String message, UnaryOperator<Values> change) {
        BadOptionException e = assertThrows(BadOptionException.class, () -> config(change));
        assertEquals(message, e.getMessage());
    }

    @Test
    void everyValueOutsideItsRangeIsRefusedWithTheOptionsName() {
        refused("--warmup must not be negative", v -> { v.warmup = Duration.ofSeconds(-1); return v; });
        refused("--duration must be at least 1s, got 999ms", v -> { v.duration = Duration.ofMillis(999); return v; });
        refused("--reps must be between 1 and 100, got 0", v -> { v.reps = 0; return v; });
        refused("--connections values must be between 1 and 1000000, got 0", v -> { v.connections = List.of(10, 0); return v; });
        refused("--sizes values must be between 1 and 16777216, got 16777217", v -> { v.sizes = List.of(16777217); return v; });
        refused("--rates values must be between 1 and 100000000, got 0", v -> { v.rates = List.of(0); return v; });
        refused("--idle-connections must be between 0 and 1000000, got -1", v -> { v.idle = -1; return v; });
        refused("--slo-p99 must be at least 1us", v -> { v.sloMicros = 0; return v; });
        refused("--connect-rate must be at least 1, got 0", v -> { v.connectRate = 0; return v; });
        refused("--client-threads must be between 1 and 256, got 257", v -> { v.clientThreads = 257; return v; });
    }

    @Test
    void theRecordKeepsItsOwnCopiesAndDropsASkippedVariantWithANote() {
        List<Integer> sizes = new ArrayList<>(List.of(64));
        CompareConfig c = config(v -> { v.sizes = sizes; return v; });
        sizes.add(128);
        assertEquals(List.of(64), c.sizesBytes());
        CompareConfig two = new CompareConfig("quick", Duration.ZERO, Duration.ofSeconds(1), 1, Variant.standard(1),
                List.of(1), List.of(64), List.of(1), List.of(64), List.of(), 0, 5000, 100, 1, Path.of("/tmp/run"), false, false,
                List.of());
        CompareConfig withoutNative = two.without(Variant.named(Variant.NATIVE, 1), "native variant skipped: no C compiler");
        assertEquals(Variant.standard(1).stream().map(Variant::name).filter(n -> !n.equals(Variant.NATIVE)).toList(),
                withoutNative.variants().stream().map(Variant::name).toList());
        assertTrue(two.variants().stream().anyMatch(v -> v.name().equals(Variant.NATIVE)));
        assertEquals(List.of("native variant skipped: no C compiler"), withoutNative.notes());
    }
}

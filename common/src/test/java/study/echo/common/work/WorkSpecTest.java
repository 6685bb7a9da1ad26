package study.echo.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import study.echo.common.BadOptionException;

class WorkSpecTest {
    @Test
    void readsEveryForm() {
        assertEquals(WorkSpec.NONE, WorkSpec.parse("none"));
        assertEquals(new WorkSpec(Duration.ofNanos(20_000), Duration.ZERO), WorkSpec.parse("cpu:20us"));
        assertEquals(new WorkSpec(Duration.ZERO, Duration.ofMillis(1)), WorkSpec.parse("wait:1ms"));
        assertEquals(new WorkSpec(Duration.ofNanos(10_000), Duration.ofMillis(10)), WorkSpec.parse("cpu:10us+wait:10ms"));
        assertEquals(new WorkSpec(Duration.ZERO, Duration.ofSeconds(10)), WorkSpec.parse("wait:10s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "cpu:20us", "wait:1ms", "cpu:10us+wait:100ms", "cpu:1500us"})
    void printsWhatItReads(String text) {
        assertEquals(text, WorkSpec.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu:-1", "wait:abc", "cpu:20", "cpu:11s", "wait:10001ms", "", "cpu", "wait:1ms+cpu:1us",
        "cpu:1us+cpu:2us", "cpu:1us+wait:1ms+wait:1ms", "sleep:1ms", "none+wait:1ms"})
    void refusesBadSpecsWithOneLine(String text) {
        BadOptionException e = assertThrows(BadOptionException.class, () -> WorkSpec.parse(text));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("work"), e.getMessage());
    }

    @Test
    void saysWhatItHas() {
        WorkSpec both = WorkSpec.parse("cpu:1us+wait:1ms");
        assertTrue(both.hasCpu() && both.hasWait() && !both.isNone());
        assertTrue(WorkSpec.NONE.isNone());
        assertFalse(WorkSpec.parse("cpu:5us").hasWait());
    }
}

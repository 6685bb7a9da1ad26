package study.echo.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "2m,120000", "1h,3600000", "0s,0"})
    void readsTheUnitsPeopleWrite(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
        assertEquals(Durations.parse(text), Durations.parse(Durations.format(Durations.parse(text))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "-1s", "10 parsecs", "3d"})
    void rejectsAnythingElseNamingTheFormat(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("e.g. 500ms, 30s, 2m"), e.getMessage());
    }
}

package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import study.echo.common.work.WorkSpec;

class WorkCalibrationTest {
    private static final List<WorkSpec> WORKS = List.of(WorkSpec.NONE, WorkSpec.parse("cpu:10us"),
            WorkSpec.parse("wait:1ms"), WorkSpec.parse("cpu:10us+wait:1ms"), WorkSpec.parse("cpu:100us"));

    @Test
    void everyCpuTimeGetsItsCountFromOneCostPerIteration() {
        WorkCalibration c = WorkCalibration.of(2.5, WORKS);
        assertEquals(Map.of(Duration.ofNanos(10_000), 4000L, Duration.ofNanos(100_000), 40_000L), c.iterations());
        assertEquals(List.of(), c.serverArgs(WorkSpec.NONE, 64), "the echo gets no option: it is today's server");
        assertEquals(List.of("--request-size", "64", "--work", "wait:1ms"), c.serverArgs(WorkSpec.parse("wait:1ms"), 64));
        assertEquals(List.of("--request-size", "4096", "--work", "cpu:10us+wait:1ms", "--cpu-iterations", "4000"),
                c.serverArgs(WorkSpec.parse("cpu:10us+wait:1ms"), 4096));
    }

    @Test
    void environmentJsonKeepsTheCountsForAResumedRun() throws Exception {
        WorkCalibration c = WorkCalibration.of(2.5, WORKS);
        ObjectMapper json = new ObjectMapper();
        ObjectNode env = json.createObjectNode();
        env.set(WorkCalibration.KEY, json.valueToTree(c.toJson()));
        WorkCalibration back = WorkCalibration.fromJson(json.readTree(json.writeValueAsString(env)));
        assertEquals(c, back);
        assertTrue(back.covers(WORKS));
        assertFalse(back.covers(List.of(WorkSpec.parse("cpu:20us"))));
        assertNull(WorkCalibration.fromJson(json.createObjectNode()), "a run from before --work recorded none");
    }

    @Test
    void aRunWithoutCpuWorkMeasuresNothing() {
        assertEquals(WorkCalibration.NONE, WorkCalibration.measure(List.of(WorkSpec.NONE, WorkSpec.parse("wait:1ms"))));
    }
}

package study.echo.bench.compare.measure;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import study.echo.common.Durations;
import study.echo.common.work.Calibration;
import study.echo.common.work.WorkSpec;

/**
 * The CPU work's iteration counts of one run, calibrated once in the harness and passed to every server
 * as {@code --cpu-iterations}, so that every variant, the C server included, does exactly the same work
 * per request whatever its own JVM's calibration would have found on a busy machine.
 *
 * @param nanosPerIteration the cost of one hash iteration the calibration measured; NaN when read back
 *                          from a run that did not record it
 * @param iterations iterations per request by CPU time, e.g. {@code 10us -> 2711}
 */
public record WorkCalibration(double nanosPerIteration, Map<Duration, Long> iterations) {
    /** The key of environment.json that records it. */
    public static final String KEY = "work_calibration";
    public static final WorkCalibration NONE = new WorkCalibration(Double.NaN, Map.of());

    public WorkCalibration {
        iterations = Map.copyOf(iterations);
    }

    /** Measures the cost of an iteration once and derives the count of every CPU time among {@code works}. */
    public static WorkCalibration measure(List<WorkSpec> works) {
        if (works.stream().noneMatch(WorkSpec::hasCpu)) return NONE;
        return of(Calibration.nanosPerIteration(), works);
    }

    /** The counts for {@code works} at a cost of {@code nanosPerIteration}, as {@link Calibration#iterationsFor} rounds them. */
    static WorkCalibration of(double nanosPerIteration, List<WorkSpec> works) {
        Map<Duration, Long> counts = new LinkedHashMap<>();
        for (WorkSpec w : works) {
            if (w.hasCpu()) counts.put(w.cpuTime(), Math.max(1, Math.round(w.cpuTime().toNanos() / nanosPerIteration)));
        }
        return new WorkCalibration(nanosPerIteration, counts);
    }

    /**
     * The server options of a point with {@code work}: none for the echo, else {@code --request-size} (the
     * client's message size, so each message is one request), {@code --work}, and {@code --cpu-iterations}
     * when there is CPU work.
     */
    public List<String> serverArgs(WorkSpec work, int sizeBytes) {
        if (work.isNone()) return List.of();
        List<String> args = new ArrayList<>(List.of("--request-size", Integer.toString(sizeBytes), "--work", work.toString()));
        if (work.hasCpu()) {
            Long n = iterations.get(work.cpuTime());
            if (n == null) throw new IllegalStateException("no calibration for " + work);
            args.addAll(List.of("--cpu-iterations", Long.toString(n)));
        }
        return args;
    }

    /** As environment.json records it: {@code {"nanos_per_iteration": 3.7, "cpu_iterations": {"cpu:10us": 2711}}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nanos_per_iteration", Double.isNaN(nanosPerIteration) ? null : nanosPerIteration);
        Map<String, Object> counts = new LinkedHashMap<>();
        iterations.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> counts.put("cpu:" + Durations.format(e.getKey()), e.getValue()));
        m.put("cpu_iterations", counts);
        return m;
    }

    /** What {@link #toJson} wrote, from environment.json's object; null when it holds none (a run from before). */
    public static WorkCalibration fromJson(JsonNode env) {
        JsonNode node = env.path(KEY);
        if (!node.isObject()) return null;
        Map<Duration, Long> counts = new LinkedHashMap<>();
        node.path("cpu_iterations").fields().forEachRemaining(e ->
                counts.put(WorkSpec.parse(e.getKey()).cpuTime(), e.getValue().asLong()));
        JsonNode nanos = node.path("nanos_per_iteration");
        return new WorkCalibration(nanos.isNumber() ? nanos.asDouble() : Double.NaN, counts);
    }

    /** Whether every CPU time of {@code works} has a count. */
    public boolean covers(List<WorkSpec> works) {
        return works.stream().filter(WorkSpec::hasCpu).allMatch(w -> iterations.containsKey(w.cpuTime()));
    }
}

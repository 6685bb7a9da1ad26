package study.echo.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one run of the client measured, as {@code --json} writes it: the typed form of the {@code
 * --csv} row, which {@code ./bench compare} reads once instead of parsing the CSV column by column.
 * Numbers are unrounded; the CSV's fixed decimals are a matter of presentation.
 *
 * @param targetRateMsgsPerS offered load of the open loop, 0 in the closed loop
 * @param errors every integrity error plus every connect failure
 * @param busiestIoThreadCpuPercent CPU of the busiest I/O thread, percent of one core: the client's
 *     own saturation signal (its whole-process CPU includes JIT and GC threads)
 * @param interrupted the run was stopped by Ctrl-C or SIGTERM before its window ended
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ClientResult(
        String mode, int connections, int sizeBytes, int pipeline, long targetRateMsgsPerS, int maxInFlight,
        double durationS, long messages, double throughputMsgsPerS,
        double p50Micros, double p90Micros, double p99Micros, double p999Micros, double p9999Micros,
        double maxMicros, double serviceP99Micros,
        long cappedSends, long lateSends, double maxBehindMicros,
        long errors, long mismatches, long shortEchoes, long earlyCloses, long connectFailures,
        double clientCpuS, double clientCpuPercent, double busiestIoThreadCpuPercent, boolean interrupted) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // A file from an older client lacks a field: say so rather than read a zero.
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    static ClientResult of(RunResult r) {
        ClientConfig c = r.config();
        Counters n = r.counters();
        var lat = r.latency();
        return new ClientResult(c.mode().label(), c.connections(), c.sizeBytes(), c.pipeline(), c.rateMsgsPerSec(),
                c.maxInFlight(), r.measuredSeconds(), lat.getTotalCount(), r.throughput(),
                Report.percentileMicros(lat, 50), Report.percentileMicros(lat, 90), Report.percentileMicros(lat, 99),
                Report.percentileMicros(lat, 99.9), Report.percentileMicros(lat, 99.99), Report.maxMicros(lat),
                Report.percentileMicros(r.service(), 99),
                n.get(Counters.Kind.CAPPED_SENDS), n.get(Counters.Kind.LATE_SENDS), Report.micros(n.maxBehindNanos()),
                n.integrityErrors() + n.connectFailures(), n.get(Counters.Kind.MISMATCHES),
                n.get(Counters.Kind.SHORT_ECHOES), n.get(Counters.Kind.EARLY_CLOSES), n.connectFailures(),
                r.cpuSeconds(), r.cpuPercent(), r.busiestIoThreadPercent(), r.interrupted());
    }

    /** Writes the file whole, through a temporary beside it, so a reader never sees half of it. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static ClientResult read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ClientResult.class);
    }
}

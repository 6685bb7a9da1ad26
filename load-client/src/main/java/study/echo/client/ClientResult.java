package study.echo.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 * @param unanswered messages still unanswered at the window's end that had waited longer than any
 *     answered one; they are in the latency figures at their wait so far, a lower bound
 * @param sendLagP50Micros open loop: how late sends left against their intended times, median; null in
 *     the closed loop, which has no schedule
 * @param arrivals open loop: {@code even}, {@code poisson} or {@code bursts:N}; null in the closed loop
 * @param arrivalsSeed the seed a {@code poisson} schedule was drawn from; null otherwise
 * @param sendsWithin100usPercent open loop: percent of the sends the cap let go that left within 100 us
 *     of their intended time (the client's target is 99.9); null in the closed loop
 * @param idleHeldConnections idle connections held besides the active ones ({@code --hold-idle})
 * @param idleLostConnections of those, the ones that no longer echoed at the end (the client then exits 5)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ClientResult(
        String mode, int connections, int sizeBytes, int pipeline, long targetRateMsgsPerS, int maxInFlight,
        double durationS, long messages, double throughputMsgsPerS,
        double p50Micros, double p90Micros, double p99Micros, double p999Micros, double p9999Micros,
        double maxMicros, double serviceP99Micros,
        long cappedSends, long lateSends, double maxBehindMicros,
        long errors, long mismatches, long shortEchoes, long earlyCloses, long connectFailures,
        double clientCpuS, double clientCpuPercent, double busiestIoThreadCpuPercent, boolean interrupted,
        long unanswered, Double sendLagP50Micros, Double sendLagP99Micros, Double sendLagMaxMicros,
        String arrivals, Long arrivalsSeed,
        @JsonProperty("sends_within_100us_percent") Double sendsWithin100usPercent,
        int idleHeldConnections, int idleLostConnections) {


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
        SendStats sends = r.sends();
        boolean open = c.mode() == ClientConfig.Mode.OPEN;
        return new ClientResult(c.mode().label(), c.connections(), c.sizeBytes(), c.pipeline(), c.rateMsgsPerSec(),
                c.maxInFlight(), r.measuredSeconds(), r.messages(), r.throughput(),
                Report.percentileMicros(lat, 50), Report.percentileMicros(lat, 90), Report.percentileMicros(lat, 99),
                Report.percentileMicros(lat, 99.9), Report.percentileMicros(lat, 99.99), Report.maxMicros(lat),
                Report.percentileMicros(r.service(), 99),
                sends.capped(), sends.late(), Report.maxMicros(sends.lagNanos()),
                n.integrityErrors() + n.connectFailures(), n.get(Counters.Kind.MISMATCHES),
                n.get(Counters.Kind.SHORT_ECHOES), n.get(Counters.Kind.EARLY_CLOSES), n.connectFailures(),
                r.cpuSeconds(), r.cpuPercent(), r.busiestIoThreadPercent(), r.interrupted(),
                r.unanswered(),
                open ? Report.percentileMicros(sends.lagNanos(), 50) : null,
                open ? Report.percentileMicros(sends.lagNanos(), 99) : null,
                open ? Report.maxMicros(sends.lagNanos()) : null,
                open ? c.arrivals().label() : null,
                open && c.arrivals().kind() == ArrivalPattern.Kind.POISSON ? c.seed() : null,
                open && sends.scheduled() > 0 ? sends.onTimePercent() : null,
                r.idleHeld(), r.idleLost());
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

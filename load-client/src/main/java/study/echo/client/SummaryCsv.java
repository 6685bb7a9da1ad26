package study.echo.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import study.echo.common.Csv;
import study.echo.common.UserException;

/**
 * {@code --csv}: one row per run appended to a summary file. The header is an interface ({@code
 * ./bench compare} parses it): it is written once, when the file is new, and never changes.
 */
final class SummaryCsv {
    static final String HEADER = "mode,connections,size_bytes,pipeline,target_rate_msgs_s,max_in_flight,duration_s,"
            + "messages,throughput_msgs_s,p50_us,p90_us,p99_us,p999_us,p9999_us,max_us,service_p99_us,"
            + "capped_sends,late_sends,max_behind_us,errors,mismatches,short_echoes,early_closes,connect_failures,"
            + "client_cpu_s,client_cpu_percent,"
            + "unanswered,send_lag_p50_us,send_lag_p99_us,send_lag_max_us,client_busiest_io_thread_cpu_percent,"
            + "arrivals,arrivals_seed,sends_within_100us_percent,idle_held_connections,idle_lost_connections";

    private final Path file;

    /** Checks before the run that the file can take a row, so a long run never ends in a refusal. */
    SummaryCsv(Path file) {
        this.file = file;
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                String first;
                try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                    first = lines.findFirst().orElse("");
                }
                if (!first.equals(HEADER)) {
                    throw new UserException("--csv " + file + " has a different header; give a new file");
                }
                if (!Files.isWritable(file)) {
                    throw new UserException("cannot write --csv " + file + ": not writable");
                }
            } else {
                Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UserException("cannot write --csv " + file + ": " + e.getMessage());
        }
    }

    void append(RunResult r) {
        try {
            Files.writeString(file, row(r), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UserException("cannot append to --csv " + file + ": " + e.getMessage());
        }
    }

    /**
     * The run's record, line break included, as the one CSV writer ({@link Csv}) writes it: the
     * {@link ClientResult}'s figures, each with the decimals this file has always had.
     */
    static String row(RunResult r) {
        ClientResult c = ClientResult.of(r);
        return Csv.line(List.of(
                c.mode(),
                Integer.toString(c.connections()),
                Integer.toString(c.sizeBytes()),
                Integer.toString(c.pipeline()),
                Long.toString(c.targetRateMsgsPerS()),
                Integer.toString(c.maxInFlight()),
                Report.num(c.durationS(), 3),
                Long.toString(c.messages()),
                Report.num(c.throughputMsgsPerS(), 1),
                Report.num(c.p50Micros(), 1),
                Report.num(c.p90Micros(), 1),
                Report.num(c.p99Micros(), 1),
                Report.num(c.p999Micros(), 1),
                Report.num(c.p9999Micros(), 1),
                Report.num(c.maxMicros(), 1),
                Report.num(c.serviceP99Micros(), 1),
                Long.toString(c.cappedSends()),
                Long.toString(c.lateSends()),
                Report.num(c.maxBehindMicros(), 1),
                Long.toString(c.errors()),
                Long.toString(c.mismatches()),
                Long.toString(c.shortEchoes()),
                Long.toString(c.earlyCloses()),
                Long.toString(c.connectFailures()),
                Report.num(c.clientCpuS(), 3),
                Report.num(c.clientCpuPercent(), 1),
                Long.toString(c.unanswered()),
                // The closed loop has no schedule, so no send lag: empty, not a 0 that reads as "on time".
                orEmpty(c.sendLagP50Micros()),
                orEmpty(c.sendLagP99Micros()),
                orEmpty(c.sendLagMaxMicros()),
                Report.num(c.busiestIoThreadCpuPercent(), 1),
                c.arrivals() == null ? "" : c.arrivals(),
                c.arrivalsSeed() == null ? "" : Long.toString(c.arrivalsSeed()),
                c.sendsWithin100usPercent() == null ? "" : Report.num(c.sendsWithin100usPercent(), 3),
                Integer.toString(c.idleHeldConnections()),
                Integer.toString(c.idleLostConnections())));
    }

    private static String orEmpty(Double micros) {
        return micros == null ? "" : Report.num(micros, 1);
    }
}

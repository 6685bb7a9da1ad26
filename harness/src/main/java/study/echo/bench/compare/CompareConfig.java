package study.echo.bench.compare;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import study.echo.bench.compare.results.PointTimes;

/**
 * A validated comparison run: the matrix after --variants, --connections and --sizes narrowed the
 * profile, and after the file-descriptor limit cut it.
 *
 * @param sloP99Micros the open-loop p99 a rate must stay under to count as sustainable
 * @param connectRatePerS connections the client opens per second (the ramp is not measured)
 * @param clientThreads the load client's event-loop threads; its CPU limit is 100% per thread
 * @param notes what was cut or skipped and why; printed and kept in environment.json
 */
public record CompareConfig(String profileName, Duration warmup, Duration duration, int reps,
                     List<Variant> variants, List<Integer> closedConnections, List<Integer> sizesBytes,
                     List<Integer> openConnections, List<Integer> openSizesBytes, List<Integer> ratesMsgsPerS,
                     int idleConnections, long sloP99Micros, int connectRatePerS, int clientThreads,
                     Path runDir, boolean resume, boolean pin, List<String> notes) {

    /** Above this many connections the client spreads them over 127.0.0.1-127.0.0.8 (ephemeral ports). */
    public static final int SOURCE_ADDRESS_THRESHOLD = 1000;
    public static final String SOURCE_ADDRESSES = "127.0.0.1-127.0.0.8";

    public PointTimes times() {
        return new PointTimes(warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0);
    }
}

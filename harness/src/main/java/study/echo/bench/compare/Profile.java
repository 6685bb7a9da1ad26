package study.echo.bench.compare;

import java.time.Duration;
import java.util.List;

/**
 * The two built-in matrices. Durations and repetitions are chosen so that {@code quick} ends in
 * about 3.5 minutes and {@code full} in about 38 minutes on a 2-core machine (see the README).
 *
 * @param closedConnections connection counts of the closed-loop (pipeline 1) points
 * @param sizesBytes message sizes of the closed-loop points
 * @param openConnections connection counts of the open-loop sweeps
 * @param openSizesBytes message sizes of the open-loop sweeps
 * @param ratesMsgsPerS the absolute offered loads of every open-loop sweep, the same for every variant
 * @param idleConnections idle connections held open to measure memory per connection; 0 skips it
 */
public record Profile(String name, Duration warmup, Duration duration, int reps,
               List<Integer> closedConnections, List<Integer> sizesBytes,
               List<Integer> openConnections, List<Integer> openSizesBytes, List<Integer> ratesMsgsPerS,
               int idleConnections) {

    static final Profile QUICK = new Profile("quick", Duration.ofSeconds(1), Duration.ofSeconds(2), 1,
            List.of(100, 1000), List.of(64, 4096),
            List.of(100), List.of(64), List.of(10_000, 40_000),
            10_000);

    static final Profile FULL = new Profile("full", Duration.ofSeconds(2), Duration.ofSeconds(4), 3,
            List.of(1, 10, 100, 1000, 10_000), List.of(64, 4096),
            List.of(100), List.of(64), List.of(5_000, 10_000, 20_000, 40_000, 60_000, 80_000),
            10_000);

    static Profile named(String name) {
        return switch (name) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException(name);
        };
    }
}

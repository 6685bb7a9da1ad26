package study.echo.bench.compare.plan;

import java.time.Duration;
import java.util.List;
import study.echo.client.ArrivalPattern;
import study.echo.common.BadOptionException;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/**
 * The built-in matrices. Durations and repetitions are chosen so that {@code quick} ends in about 6
 * minutes, {@code full} in about an hour, {@code workloads} within 45 and {@code loom-tuning} within 30 on a 2-core machine (see the README).
 *
 * @param closedConnections connection counts of the closed-loop (pipeline 1) points
 * @param sizesBytes message sizes of the closed-loop points
 * @param openConnections connection counts of the open-loop sweeps
 * @param arrivals the arrival patterns each open-loop sweep runs with (issue 14)
 * @param openSizesBytes message sizes of the open-loop sweeps
 * @param ratesMsgsPerSec the absolute offered loads of every open-loop sweep, the same for every variant
 * @param idleConnections idle connections held open to measure memory per connection; 0 skips it
 * @param works what the server does per request at the closed-loop points
 * @param openWorks what it does per request in the open-loop sweeps
 * @param variantNames the variants it runs when --variants is not given; empty for every default variant
 * @param idleWithActive idle connection counts of the active-among-idle points; empty for none
 * @param activeConnections the active connections of those points
 */
public record Profile(String name, Duration warmup, Duration duration, int reps,
               List<Integer> closedConnections, List<Integer> sizesBytes,
               List<Integer> openConnections, List<Integer> openSizesBytes, List<Integer> ratesMsgsPerSec,
               int idleConnections, List<WorkSpec> works, List<WorkSpec> openWorks, List<String> variantNames,
               List<ArrivalPattern> arrivals, List<Integer> idleWithActive, int activeConnections) {

    /** The active connections of an active-among-idle point unless --active-connections says otherwise. */
    public static final int DEFAULT_ACTIVE_CONNECTIONS = 100;

    /** A profile without active-among-idle points. */
    public Profile(String name, Duration warmup, Duration duration, int reps,
                   List<Integer> closedConnections, List<Integer> sizesBytes,
                   List<Integer> openConnections, List<Integer> openSizesBytes, List<Integer> ratesMsgsPerSec,
                   int idleConnections, List<WorkSpec> works, List<WorkSpec> openWorks, List<String> variantNames,
                   List<ArrivalPattern> arrivals) {
        this(name, warmup, duration, reps, closedConnections, sizesBytes, openConnections, openSizesBytes,
                ratesMsgsPerSec, idleConnections, works, openWorks, variantNames, arrivals, List.of(),
                DEFAULT_ACTIVE_CONNECTIONS);
    }

    private static final List<WorkSpec> ECHO = List.of(WorkSpec.NONE);
    /** Evenly spaced sends, and the model of many independent users with the same mean rate (issue 14). */
    private static final List<ArrivalPattern> EVEN_AND_POISSON = List.of(ArrivalPattern.EVEN, ArrivalPattern.parse("poisson"));

    public static final Profile QUICK = new Profile("quick", Duration.ofSeconds(1), Duration.ofSeconds(2), 1,
            List.of(100, 1000), List.of(64, 4096),
            List.of(100), List.of(64), List.of(10_000, 40_000),
            10_000, ECHO, ECHO, List.of(), EVEN_AND_POISSON);

    public static final Profile FULL = new Profile("full", Duration.ofSeconds(2), Duration.ofSeconds(4), 3,
            List.of(1, 10, 100, 1000, 10_000), List.of(64, 4096),
            List.of(100), List.of(64), List.of(5_000, 10_000, 20_000, 40_000, 60_000, 80_000),
            10_000, ECHO, ECHO, List.of(), EVEN_AND_POISSON);

    /**
     * Work per request: cpu {0, 10us, 100us} x wait {0, 1ms, 10ms, 100ms} x {100, 1,000, 10,000}
     * connections, closed loop, 64 B, and an open-loop sweep of cpu:10us+wait:10ms at 1,000 connections.
     * One repetition of 2 s warm-up + 8 s measured fits 45 minutes on 2 cores; 8 s is 8,000 answers at the
     * slowest cell (100 connections waiting 100 ms, Little's bound 1,000 msg/s), 80 round trips per connection.
     * The sweep's rates run from light load to past the CPU limit of 2 cores at 10 µs of work per request
     * (Little's bound, 1,000 / 10.01 ms = 99,900 msg/s, is far above it; a pool of 256 caps near 25,600).
     */
    public static final Profile WORKLOADS = new Profile("workloads", Duration.ofSeconds(2), Duration.ofSeconds(8), 1,
            List.of(100, 1000, 10_000), List.of(64),
            List.of(1000), List.of(64), List.of(2_000, 5_000, 10_000, 20_000, 40_000),
            0, grid(List.of("0", "10us", "100us"), List.of("0", "1ms", "10ms", "100ms")),
            List.of(WorkSpec.parse("cpu:10us+wait:10ms")),
            List.of("loom-virtual", "loom-platform", "selector-1", Variant.OFFLOAD_PLATFORM, Variant.OFFLOAD_VIRTUAL,
                    "netty-epoll", Variant.NATIVE),
            List.of(ArrivalPattern.EVEN));

    /**
     * The seed's question (issue 12): 100 active connections in the closed loop, 64 B, while the server holds
     * 0, 1,000, 10,000 or 18,000 idle ones, where poll(2)'s scan of every descriptor per select and a
     * thread per idle connection show their cost. 18,000 fits an open-files limit of 20,000 with the active
     * ones and the margin. 2 repetitions of 2 s warm-up + 5 s measured: about 11 minutes planned here,
     * the 29,100 idle connects per variant and repetition at 2,500/s included.
     */
    public static final Profile ACTIVE_AMONG_IDLE = new Profile("active-among-idle", Duration.ofSeconds(2),
            Duration.ofSeconds(5), 2, List.of(), List.of(64), List.of(), List.of(64), List.of(), 0, ECHO, ECHO,
            List.of("selector-1", Variant.SELECTOR_POLL, "loom-virtual", "loom-platform", "netty-epoll", Variant.NATIVE),
            List.of(ArrivalPattern.EVEN), List.of(0, 1000, 10_000, 18_000), DEFAULT_ACTIVE_CONNECTIONS);

    /**
     * The Loom tuning study (issue 12): loom-virtual at its defaults and with one virtual-thread setting
     * changed per row, beside selector-1, at 100, 1,000 and 10,000 connections, 64 B, closed loop, and
     * an open-loop sweep at 100 connections from light load to past loom-virtual's closed-loop rate
     * there (about 64,000 msg/s). 2 s + 4 s as the full profile, 3 repetitions so that a setting's
     * effect can be told from the run's spread; about 25 minutes planned with 9 variants (8 run on a
     * JDK 22+, where loom-direct-register is skipped).
     */
    public static final Profile LOOM_TUNING = new Profile("loom-tuning", Duration.ofSeconds(2), Duration.ofSeconds(4), 3,
            List.of(100, 1000, 10_000), List.of(64),
            List.of(100), List.of(64), List.of(10_000, 30_000, 50_000),
            0, ECHO, ECHO,
            List.of("loom-virtual", "loom-poller1", "loom-poller2", "loom-readpollers1", "loom-readpollersN",
                    "loom-par1", "loom-parN", "loom-direct-register", "selector-1"),
            List.of(ArrivalPattern.EVEN));

    /** Every cpu x wait combination, cpu varying slowest; "0" is none of that kind. */
    private static List<WorkSpec> grid(List<String> cpus, List<String> waits) {
        List<WorkSpec> out = new java.util.ArrayList<>();
        for (String cpu : cpus) {
            for (String wait : waits) {
                String spec = cpu.equals("0") && wait.equals("0") ? "none"
                        : cpu.equals("0") ? "wait:" + wait : wait.equals("0") ? "cpu:" + cpu : "cpu:" + cpu + "+wait:" + wait;
                out.add(WorkSpec.parse(spec));
            }
        }
        return List.copyOf(out);
    }

    /** The profile {@code --profile} names. */
    public static Profile named(String name) {
        return switch (name) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            case "workloads" -> WORKLOADS;
            case "loom-tuning" -> LOOM_TUNING;
            case "active-among-idle" -> ACTIVE_AMONG_IDLE;
            default -> throw new BadOptionException("--profile must be quick, full, workloads, active-among-idle or loom-tuning, got '"
                    + name + "'");
        };
    }
}

package study.echo.bench.compare.plan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import study.echo.bench.compare.results.PointTimes;
import study.echo.client.ArrivalPattern;
import study.echo.common.BadOptionException;
import study.echo.common.Durations;
import study.echo.common.work.WorkSpec;
import study.echo.launch.Variant;

/**
 * A validated comparison run: the matrix after --variants, --connections and --sizes narrowed the
 * profile, and after the file-descriptor limit cut it. Validated on construction, as
 * {@code ServerConfig} is, so that no run starts with a value outside its range.
 *
 * @param sloP99Micros the open-loop p99 a rate must stay under to count as sustainable
 * @param connectRatePerSec connections the client opens per second (the ramp is not measured)
 * @param clientThreads the load client's event-loop threads; its CPU limit is 100% per thread
 * @param notes what was cut or skipped and why; printed and kept in environment.json
 * @param works what the server does per request at the closed-loop points (a dimension of the matrix)
 * @param openWorks the same for the open-loop sweeps
 * @param arrivals the shapes of the open-loop sweeps' sends (a dimension of those sweeps): even, poisson, bursts:N
 * @param idleWithActive idle connection counts of the active-among-idle points ({@code --idle-with-active}); empty for none
 * @param activeConnections the connections of those points ({@code --active-connections})
 * @param activeRateMsgsPerSec the offered load of their open-loop points ({@code --active-rate}); 0 for none
 * @param jdks the JDKs of --jdk, whose java each Java variant's server runs on; empty for the harness's own
 */
public record CompareConfig(String profileName, Duration warmup, Duration duration, int reps,
                     List<Variant> variants, List<Integer> closedConnections, List<Integer> sizesBytes,
                     List<Integer> openConnections, List<Integer> openSizesBytes, List<Integer> ratesMsgsPerSec,
                     int idleConnections, long sloP99Micros, int connectRatePerSec, int clientThreads,
                     Path runDir, boolean resume, boolean pin, List<String> notes, List<WorkSpec> works,
                     List<WorkSpec> openWorks, List<ArrivalPattern> arrivals, List<Integer> idleWithActive,
                     int activeConnections, int activeRateMsgsPerSec, List<Jdk> jdks) {

    /** Above this many connections the client spreads them over 127.0.0.1-127.0.0.8 (ephemeral ports). */
    public static final int SOURCE_ADDRESS_THRESHOLD = 1000;
    public static final String SOURCE_ADDRESSES = "127.0.0.1-127.0.0.8";
    /** How many addresses {@link #SOURCE_ADDRESSES} names. */
    public static final int SOURCE_ADDRESS_COUNT = 8;
    public static final int MAX_CONNECTIONS = 1_000_000;
    public static final int MAX_SIZE_BYTES = 16 * 1024 * 1024;
    public static final int MAX_RATE_MSGS_PER_SEC = 100_000_000;
    public static final int MAX_REPS = 100;
    public static final int MAX_CLIENT_THREADS = 256;

    public CompareConfig {
        if (warmup.isNegative()) throw new BadOptionException("--warmup must not be negative");
        if (duration.toMillis() < 1000) {
            throw new BadOptionException("--duration must be at least 1s, got " + Durations.format(duration));
        }
        if (reps < 1 || reps > MAX_REPS) throw new BadOptionException("--reps must be between 1 and " + MAX_REPS + ", got " + reps);
        if (variants.isEmpty()) throw new BadOptionException("--variants must name at least one variant");
        inRange(closedConnections, "--connections", 1, MAX_CONNECTIONS);
        inRange(openConnections, "--connections", 1, MAX_CONNECTIONS);
        inRange(sizesBytes, "--sizes", 1, MAX_SIZE_BYTES);
        inRange(openSizesBytes, "--sizes", 1, MAX_SIZE_BYTES);
        inRange(ratesMsgsPerSec, "--rates", 1, MAX_RATE_MSGS_PER_SEC);
        if (idleConnections < 0 || idleConnections > MAX_CONNECTIONS) {
            throw new BadOptionException("--idle-connections must be between 0 and " + MAX_CONNECTIONS + ", got " + idleConnections);
        }
        if (sloP99Micros < 1) throw new BadOptionException("--slo-p99 must be at least 1us");
        if (connectRatePerSec < 1) throw new BadOptionException("--connect-rate must be at least 1, got " + connectRatePerSec);
        if (clientThreads < 1 || clientThreads > MAX_CLIENT_THREADS) {
            throw new BadOptionException("--client-threads must be between 1 and " + MAX_CLIENT_THREADS + ", got " + clientThreads);
        }
        variants = List.copyOf(variants);
        closedConnections = List.copyOf(closedConnections);
        sizesBytes = List.copyOf(sizesBytes);
        openConnections = List.copyOf(openConnections);
        openSizesBytes = List.copyOf(openSizesBytes);
        ratesMsgsPerSec = List.copyOf(ratesMsgsPerSec);
        notes = List.copyOf(notes);
        if (works.isEmpty()) throw new BadOptionException("--work must name at least one work spec");
        works = List.copyOf(works);
        openWorks = List.copyOf(openWorks);
        if (arrivals.isEmpty()) throw new BadOptionException("--arrivals must name at least one pattern");
        arrivals = List.copyOf(arrivals);
        inRange(idleWithActive, "--idle-with-active", 0, MAX_CONNECTIONS);
        idleWithActive = List.copyOf(idleWithActive);
        if (activeConnections < 1 || activeConnections > MAX_CONNECTIONS) {
            throw new BadOptionException("--active-connections must be between 1 and " + MAX_CONNECTIONS + ", got "
                    + activeConnections);
        }
        if (activeRateMsgsPerSec < 0 || activeRateMsgsPerSec > MAX_RATE_MSGS_PER_SEC) {
            throw new BadOptionException("--active-rate must be between 1 and " + MAX_RATE_MSGS_PER_SEC + ", got "
                    + activeRateMsgsPerSec);
        }
        jdks = List.copyOf(jdks);
    }

    /** A run without active-among-idle points on the harness's own JDK, as before --idle-with-active and --jdk. */
    public CompareConfig(String profileName, Duration warmup, Duration duration, int reps,
                         List<Variant> variants, List<Integer> closedConnections, List<Integer> sizesBytes,
                         List<Integer> openConnections, List<Integer> openSizesBytes, List<Integer> ratesMsgsPerSec,
                         int idleConnections, long sloP99Micros, int connectRatePerSec, int clientThreads,
                         Path runDir, boolean resume, boolean pin, List<String> notes, List<WorkSpec> works,
                         List<WorkSpec> openWorks, List<ArrivalPattern> arrivals) {
        this(profileName, warmup, duration, reps, variants, closedConnections, sizesBytes, openConnections,
                openSizesBytes, ratesMsgsPerSec, idleConnections, sloP99Micros, connectRatePerSec, clientThreads,
                runDir, resume, pin, notes, works, openWorks, arrivals, List.of(), Profile.DEFAULT_ACTIVE_CONNECTIONS, 0, List.of());
    }

    /** The message size of the active-among-idle points: that of the open-loop sweeps (64 B when listed). */
    public int amongIdleSizeBytes() {
        return openSizesBytes.isEmpty() ? sizesBytes.get(0) : openSizesBytes.get(0);
    }

    /** Every JDK a Java server of this run runs on: those of --jdk, or the harness's own. */
    public List<Jdk> allJdks() {
        return jdks.isEmpty() ? List.of(Jdk.current()) : jdks;
    }

    /** The JDK that runs {@code variant}'s server; null for one that is not a Java server. */
    public Jdk jdkOf(Variant variant) {
        if (variant.kind() != Variant.Kind.JAVA) return null;
        if (variant.serverJava() == null) return Jdk.current();
        return jdks.stream().filter(j -> j.java().equals(variant.serverJava())).findFirst().orElse(null);
    }

    /** A run of the plain echo, as before --work. */
    public CompareConfig(String profileName, Duration warmup, Duration duration, int reps,
                         List<Variant> variants, List<Integer> closedConnections, List<Integer> sizesBytes,
                         List<Integer> openConnections, List<Integer> openSizesBytes, List<Integer> ratesMsgsPerSec,
                         int idleConnections, long sloP99Micros, int connectRatePerSec, int clientThreads,
                         Path runDir, boolean resume, boolean pin, List<String> notes) {
        this(profileName, warmup, duration, reps, variants, closedConnections, sizesBytes, openConnections,
                openSizesBytes, ratesMsgsPerSec, idleConnections, sloP99Micros, connectRatePerSec, clientThreads,
                runDir, resume, pin, notes, List.of(WorkSpec.NONE), List.of(WorkSpec.NONE), List.of(ArrivalPattern.EVEN));
    }

    private static void inRange(List<Integer> values, String option, int min, int max) {
        for (int v : values) {
            if (v < min || v > max) {
                throw new BadOptionException(option + " values must be between " + min + " and " + max + ", got " + v);
            }
        }
    }

    /** This run without {@code variant}, which cannot run here, and a note saying why. */
    public CompareConfig without(Variant variant, String note) {
        List<Variant> kept = new ArrayList<>(variants);
        kept.remove(variant);
        List<String> moreNotes = new ArrayList<>(notes);
        moreNotes.add(note);
        return new CompareConfig(profileName, warmup, duration, reps, kept, closedConnections, sizesBytes,
                openConnections, openSizesBytes, ratesMsgsPerSec, idleConnections, sloP99Micros, connectRatePerSec,
                clientThreads, runDir, resume, pin, moreNotes, works, openWorks, arrivals, idleWithActive, activeConnections,
                activeRateMsgsPerSec, jdks);
    }

    public PointTimes times() {
        return new PointTimes(warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0);
    }
}

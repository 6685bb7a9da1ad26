package study.echo.client;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import study.echo.common.BadOptionException;
import study.echo.common.Durations;

/**
 * One load run, validated on construction so that a run never starts with a value outside its range.
 *
 * @param host            target host, a name or a literal
 * @param port            target port, 1 to 65535
 * @param connections     1 to {@value #MAX_CONNECTIONS}
 * @param sizeBytes       bytes per message, {@value MessageFormat#HEADER_BYTES} (the header) to {@value #MAX_SIZE_BYTES}
 * @param duration        measured time, at least {@value #MIN_DURATION_MILLIS} ms
 * @param warmup          time before measuring, 0 or more
 * @param mode            closed or open loop
 * @param rateMsgsPerSec  open loop: messages per second over all connections, at least 1; 0 in the closed loop
 * @param maxInFlight     open loop: outstanding messages per connection, 0 for unbounded; in the closed loop, the pipeline
 * @param pipeline        closed loop: messages in flight per connection, 1 or more; 0 in the open loop
 * @param connectRatePerSec connections opened per second, at least 1
 * @param sourceAddresses local addresses to spread connections over; empty lets the kernel choose
 * @param threads         I/O threads, 1 to {@value #MAX_THREADS}; never more than connections
 * @param arrivals        open loop: the pattern of intended send times; even in the closed loop
 * @param seed            open loop: the seed a random pattern (poisson) is drawn from
 * @param holdIdle        idle connections held besides the active ones, 0 to {@value #MAX_CONNECTIONS} (see {@link IdleHold})
 * @param spinBeforeSend  open loop: how long before each due send the I/O thread stops parking and spins,
 *                        polling the selector, 0 to {@value #MAX_SPIN_MICROS} us; zero (never) in the closed loop
 */
public record ClientConfig(String host, int port, int connections, int sizeBytes, Duration duration, Duration warmup,
                           Mode mode, long rateMsgsPerSec, int maxInFlight, int pipeline, int connectRatePerSec,
                           List<InetAddress> sourceAddresses, int threads, ArrivalPattern arrivals,
                           long seed, int holdIdle, Duration spinBeforeSend) {
    public static final int MAX_CONNECTIONS = 1_000_000;
    public static final int MAX_SIZE_BYTES = 64 << 20;
    public static final long MIN_DURATION_MILLIS = 100;
    public static final long MAX_RATE = 100_000_000;
    public static final int MAX_IN_FLIGHT = 1_000_000;
    public static final int MAX_THREADS = 256;
    /** A longer spin is a core given away for nothing: from 1 ms on the selector's own timeout is close enough. */
    public static final long MAX_SPIN_MICROS = 1_000;

    /** A run that never spins and holds no idle connections. */
    public ClientConfig(String host, int port, int connections, int sizeBytes, Duration duration, Duration warmup,
                        Mode mode, long rateMsgsPerSec, int maxInFlight, int pipeline, int connectRatePerSec,
                        List<InetAddress> sourceAddresses, int threads, ArrivalPattern arrivals, long seed) {
        this(host, port, connections, sizeBytes, duration, warmup, mode, rateMsgsPerSec, maxInFlight, pipeline,
                connectRatePerSec, sourceAddresses, threads, arrivals, seed, 0, Duration.ZERO);
    }

    public enum Mode {
        CLOSED, OPEN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ClientConfig {
        if (host == null || host.isBlank()) {
            throw new BadOptionException("--target needs a host, e.g. 127.0.0.1:7007");
        }
        if (port < 1 || port > 65535) {
            throw new BadOptionException("--target port must be between 1 and 65535, got " + port);
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new BadOptionException("--connections must be between 1 and " + MAX_CONNECTIONS + ", got " + connections);
        }
        if (sizeBytes < MessageFormat.HEADER_BYTES || sizeBytes > MAX_SIZE_BYTES) {
            throw new BadOptionException("--size must be between " + MessageFormat.HEADER_BYTES
                    + " bytes (the message header: connection id, sequence number, send time) and "
                    + MAX_SIZE_BYTES + ", got " + sizeBytes);
        }
        if (duration.toMillis() < MIN_DURATION_MILLIS) {
            throw new BadOptionException("--duration must be at least " + MIN_DURATION_MILLIS + "ms, got "
                    + Durations.format(duration));
        }
        if (warmup.isNegative()) {
            throw new BadOptionException("--warmup must not be negative");
        }
        if (mode == Mode.OPEN) {
            if (rateMsgsPerSec < 1 || rateMsgsPerSec > MAX_RATE) {
                throw new BadOptionException("--rate must be between 1 and " + MAX_RATE
                        + " messages per second, got " + rateMsgsPerSec);
            }
            if (maxInFlight < 0 || maxInFlight > MAX_IN_FLIGHT) {
                throw new BadOptionException("--max-in-flight must be between 0 (unbounded) and " + MAX_IN_FLIGHT
                        + ", got " + maxInFlight);
            }
            if (maxInFlight != 0 && maxInFlight < arrivals.inFlightNeeded()) {
                throw new BadOptionException("--arrivals " + arrivals.label() + " sends " + arrivals.burst()
                        + " back to back per connection, which --max-in-flight " + maxInFlight
                        + " would hold to one echo at a time: give --max-in-flight " + arrivals.inFlightNeeded()
                        + " or more, or 0");
            }
        } else if (pipeline < 1 || pipeline > MAX_IN_FLIGHT) {
            throw new BadOptionException("--pipeline must be between 1 and " + MAX_IN_FLIGHT + ", got " + pipeline);
        }
        if (holdIdle < 0 || holdIdle > MAX_CONNECTIONS - connections) {
            throw new BadOptionException("--hold-idle must be between 0 and " + (MAX_CONNECTIONS - connections)
                    + " (with --connections " + connections + "), got " + holdIdle);
        }
        if (connectRatePerSec < 1) {
            throw new BadOptionException("--connect-rate must be at least 1 per second, got " + connectRatePerSec);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new BadOptionException("--client-threads must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
        if (spinBeforeSend.isNegative() || spinBeforeSend.toNanos() > MAX_SPIN_MICROS * 1_000) {
            throw new BadOptionException("--spin-before-send must be between 0us and " + MAX_SPIN_MICROS
                    + "us, got " + Durations.format(spinBeforeSend));
        }
        if (mode == Mode.CLOSED && !spinBeforeSend.isZero()) {
            throw new BadOptionException("--spin-before-send needs the open loop (--rate): the closed loop has no schedule");
        }
        sourceAddresses = List.copyOf(sourceAddresses);
        threads = Math.min(threads, connections);
        if (mode == Mode.CLOSED) {
            arrivals = new ArrivalPattern(ArrivalPattern.Kind.EVEN, 1);
            rateMsgsPerSec = 0;
            maxInFlight = pipeline;
        } else {
            pipeline = 0;
        }
    }

    /** What the default --client-threads means: half the cores, at least one, so the server keeps the rest. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public String target() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

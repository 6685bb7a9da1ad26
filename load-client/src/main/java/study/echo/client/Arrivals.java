package study.echo.client;

import java.util.SplittableRandom;
import study.echo.common.BadOptionException;

/**
 * When each open-loop message is due, as an offset from the schedule's start. Every pattern keeps the
 * total mean rate; message {@code seq} of connection {@code c} (of {@code N}) is message
 * {@code c + seq * N} of the whole client, so that the connections take turns in a fixed order and an
 * I/O thread can walk them with a cursor.
 * <ul>
 *   <li>{@code even}: evenly spaced, {@code k / rate}.</li>
 *   <li>{@code poisson}: exponential gaps with the same mean, the arrivals of many independent users. The
 *       whole schedule is drawn before the run from a seeded generator, so that the send path only reads
 *       an array and latency still counts from intended times.</li>
 *   <li>{@code bursts:B}: each connection sends B messages back to back at each of its ticks, every
 *       {@code B * N / rate} seconds, as batching clients do.</li>
 * </ul>
 */
abstract sealed class Arrivals {
    /** A Poisson schedule is held in memory: 8 bytes a message. */
    static final long MAX_DRAWN_MESSAGES = 64L << 20;

    /** Nanoseconds from the schedule's start to when message {@code seq} of connection {@code connectionId} is due. */
    abstract long offsetNanos(int connectionId, long seq);

    /** Messages a connection sends back to back at one tick: consecutive sequence numbers, one intended time. */
    int burst() {
        return 1;
    }

    /**
     * @param horizonNanos how far the schedule must reach (warm-up and window); a Poisson schedule is drawn
     *                     that far, and a message beyond it is never due
     */
    static Arrivals of(ArrivalPattern pattern, long ratePerSecond, int connections, long horizonNanos, long seed) {
        double nanosPerMessage = 1e9 / ratePerSecond;
        return switch (pattern.kind()) {
            case EVEN -> new Even(nanosPerMessage, connections);
            case BURSTS -> new Bursts(nanosPerMessage, connections, pattern.burst());
            case POISSON -> Poisson.draw(nanosPerMessage, connections, horizonNanos, seed);
        };
    }

    static final class Even extends Arrivals {
        private final double nanosPerMessage;
        private final int connections;

        Even(double nanosPerMessage, int connections) {
            this.nanosPerMessage = nanosPerMessage;
            this.connections = connections;
        }

        @Override
        long offsetNanos(int connectionId, long seq) {
            return (long) ((connectionId + (double) seq * connections) * nanosPerMessage);
        }
    }

    static final class Bursts extends Arrivals {
        private final double nanosPerBurst;
        private final int connections;
        private final int burst;

        Bursts(double nanosPerMessage, int connections, int burst) {
            this.nanosPerBurst = nanosPerMessage * burst;
            this.connections = connections;
            this.burst = burst;
        }

        @Override
        long offsetNanos(int connectionId, long seq) {
            return (long) ((connectionId + (double) (seq / burst) * connections) * nanosPerBurst);
        }

        @Override
        int burst() {
            return burst;
        }
    }

    static final class Poisson extends Arrivals {
        /** Offsets of the whole client's messages, in order; index {@code c + seq * N}. */
        private final long[] offsets;
        private final int connections;

        private Poisson(long[] offsets, int connections) {
            this.offsets = offsets;
            this.connections = connections;
        }

        static Poisson draw(double nanosPerMessage, int connections, long horizonNanos, long seed) {
            double expected = horizonNanos / nanosPerMessage;
            // Room for the count to run 10 standard deviations over its mean, so the horizon is reached.
            long room = (long) (expected + 10 * Math.sqrt(expected) + connections + 16);
            if (room > MAX_DRAWN_MESSAGES) {
                throw new BadOptionException("--arrivals poisson draws its schedule in advance, 8 bytes a message:"
                        + " --rate times the warm-up and duration is too many (" + room + ", at most "
                        + MAX_DRAWN_MESSAGES + ")");
            }
            SplittableRandom random = new SplittableRandom(seed);
            long[] offsets = new long[(int) room];
            double t = 0;
            int n = 0;
            while (n < offsets.length && t < horizonNanos) {
                // Inverse transform; 1 - u is in (0, 1], so the log is finite.
                t += -Math.log(1 - random.nextDouble()) * nanosPerMessage;
                offsets[n++] = (long) t;
            }
            for (; n < offsets.length; n++) {
                offsets[n] = Long.MAX_VALUE / 4;
            }
            return new Poisson(offsets, connections);
        }

        @Override
        long offsetNanos(int connectionId, long seq) {
            long k = connectionId + seq * connections;
            return k < offsets.length ? offsets[(int) k] : Long.MAX_VALUE / 4;
        }
    }
}

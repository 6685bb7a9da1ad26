package study.echo.client;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Event counts shared by all I/O threads of one run. Errors are rare; LongAdder keeps the common ones cheap. */
final class Counters {
    /** What is counted. Integrity errors first, then sends, then connections. */
    enum Kind {
        /** An echoed message differed from what was sent, in at least one byte. */
        MISMATCHES,
        /** The connection ended part way through the echo of a message. */
        SHORT_ECHOES,
        /** The server closed or reset a connection before the run ended. */
        EARLY_CLOSES,
        /** Open loop, measured window: messages whose time came while the in-flight cap was reached. */
        CAPPED_SENDS,
        /** Open loop, measured window: messages sent more than {@link OpenLoop#LATE_NANOS} after their time, cap not reached. */
        LATE_SENDS,
        CONNECTED,
        CONNECT_REFUSED,
        CONNECT_TIMED_OUT,
        /** No free local port on the source address, or the address cannot be bound. */
        CONNECT_NO_LOCAL_PORT,
        CONNECT_UNREACHABLE,
        CONNECT_OTHER
    }

    private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);
    private final LongAccumulator maxBehindNanos = new LongAccumulator(Math::max, 0);

    Counters() {
        for (Kind kind : Kind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    void increment(Kind kind) {
        counts.get(kind).increment();
    }

    long get(Kind kind) {
        return counts.get(kind).sum();
    }

    /** Notes how far behind its schedule the client sent a message; only the maximum is kept. */
    void behind(long nanos) {
        maxBehindNanos.accumulate(nanos);
    }

    long maxBehindNanos() {
        return maxBehindNanos.get();
    }

    long integrityErrors() {
        return get(Kind.MISMATCHES) + get(Kind.SHORT_ECHOES) + get(Kind.EARLY_CLOSES);
    }

    long connectFailures() {
        return get(Kind.CONNECT_REFUSED) + get(Kind.CONNECT_TIMED_OUT) + get(Kind.CONNECT_NO_LOCAL_PORT)
                + get(Kind.CONNECT_UNREACHABLE) + get(Kind.CONNECT_OTHER);
    }
}

package study.echo.client;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Event counts shared by all I/O threads of one run. Errors are rare; LongAdder keeps the common ones cheap. */
final class Counters {
    /** What is counted. Integrity errors first, then connections. */
    enum Kind {
        /** An echoed message differed from what was sent, in at least one byte. */
        MISMATCHES,
        /** The connection ended part way through the echo of a message. */
        SHORT_ECHOES,
        /** The server closed or reset a connection before the run ended. */
        EARLY_CLOSES,
        CONNECTED,
        /** Connections that opened and then ended by a fault (early close, short echo, a stream out of step). */
        CONNECTIONS_LOST,
        CONNECT_REFUSED,
        CONNECT_TIMED_OUT,
        /** No free local port on the source address, or the address cannot be bound. */
        CONNECT_NO_LOCAL_PORT,
        CONNECT_UNREACHABLE,
        CONNECT_OTHER
    }

    private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

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

    /** Connections open now: opened and not lost to a fault. */
    long alive() {
        return get(Kind.CONNECTED) - get(Kind.CONNECTIONS_LOST);
    }

    long integrityErrors() {
        return get(Kind.MISMATCHES) + get(Kind.SHORT_ECHOES) + get(Kind.EARLY_CLOSES);
    }

    /** E.g. {@code 3 refused, 1 timed out}; empty when none failed. */
    String describeConnectFailures() {
        StringBuilder sb = new StringBuilder();
        for (Kind kind : Kind.values()) {
            long n = get(kind);
            if (n > 0 && kind.name().startsWith("CONNECT_")) {
                sb.append(sb.isEmpty() ? "" : ", ").append(n).append(' ').append(
                        kind.name().substring("CONNECT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        }
        return sb.toString();
    }

    long connectFailures() {
        return get(Kind.CONNECT_REFUSED) + get(Kind.CONNECT_TIMED_OUT) + get(Kind.CONNECT_NO_LOCAL_PORT)
                + get(Kind.CONNECT_UNREACHABLE) + get(Kind.CONNECT_OTHER);
    }
}

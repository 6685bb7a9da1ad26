package study.echo.client;

import java.nio.ByteBuffer;

/**
 * The bytes of one message, computed rather than stored, so that the client can write and verify
 * any slice of any message without a per-connection buffer.
 *
 * <pre>
 * offset  0..3   connection id       (int, big-endian)
 * offset  4..11  sequence number     (long, big-endian), 0 for the first message on a connection
 * offset 12..19  intended send time  (long, big-endian, System.nanoTime of this client)
 * offset 20..    payload             (byte)(offset + 31 * seq + 7 * connectionId)
 * </pre>
 *
 * The payload depends on the offset, the sequence number and the connection, so a changed, dropped,
 * duplicated or reordered byte shows up as a mismatch wherever it lands.
 */
final class MessageFormat {
    /** The smallest message that carries the whole header. */
    static final int HEADER_BYTES = 20;
    /**
     * Payload runs longer than this are compared in bulk against {@link #PATTERN} (vectorised by the
     * JDK, but it allocates two buffer views); shorter ones eight bytes at a time, allocating nothing.
     */
    private static final int BULK_BYTES = 256;
    private static final int PATTERN_RUN = 64 * 1024;
    /** {@code PATTERN[j] == (byte) j}: any payload run is a slice of it starting at {@code (offset + base) & 0xFF}. */
    private static final byte[] PATTERN = new byte[256 + PATTERN_RUN];
    /**
     * {@code WORDS[j]} is {@code PATTERN[j .. j + 7]} read as one big-endian long, so that a payload run
     * is compared eight bytes per array load, with no buffer view or byte swap on the pattern side.
     */
    private static final long[] WORDS = new long[256];

    static {
        for (int j = 0; j < PATTERN.length; j++) {
            PATTERN[j] = (byte) j;
        }
        ByteBuffer words = ByteBuffer.wrap(PATTERN);
        for (int j = 0; j < WORDS.length; j++) {
            WORDS[j] = words.getLong(j);
        }
    }

    private MessageFormat() {}

    /** Byte {@code offset} of message {@code seq} on connection {@code connectionId}. */
    static byte byteAt(int connectionId, long seq, long intendedNanos, int offset) {
        if (offset >= HEADER_BYTES) {
            return payloadByte(connectionId, seq, offset);
        }
        if (offset < 4) {
            return (byte) (connectionId >>> (24 - 8 * offset));
        }
        if (offset < 12) {
            return (byte) (seq >>> (56 - 8 * (offset - 4)));
        }
        return (byte) (intendedNanos >>> (56 - 8 * (offset - 12)));
    }

    private static byte payloadByte(int connectionId, long seq, int offset) {
        return (byte) (offset + 31 * seq + 7 * connectionId);
    }

    /** Puts bytes {@code [from, to)} of the message at {@code dst}'s position, advancing it. */
    static void fill(ByteBuffer dst, int connectionId, long seq, long intendedNanos, int from, int to) {
        int i = from;
        if (i == 0 && to >= HEADER_BYTES) {
            // The usual case, a whole message: the header in three big-endian puts.
            dst.putInt(connectionId).putLong(seq).putLong(intendedNanos);
            i = HEADER_BYTES;
        }
        for (int headerEnd = Math.min(to, HEADER_BYTES); i < headerEnd; i++) {
            dst.put(byteAt(connectionId, seq, intendedNanos, i));
        }
        int base = (int) (31 * seq + 7 * connectionId);
        while (i < to) {
            int n = Math.min(to - i, PATTERN_RUN);
            dst.put(PATTERN, (i + base) & 0xFF, n);
            i += n;
        }
    }

    /**
     * Compares {@code to - from} bytes of {@code src}, starting at absolute index {@code srcIndex},
     * with bytes {@code [from, to)} of the message.
     *
     * @return true when every byte matches
     */
    static boolean matches(ByteBuffer src, int srcIndex, int connectionId, long seq, long intendedNanos,
                           int from, int to) {
        int p = srcIndex;
        int i = from;
        if (i == 0 && to >= HEADER_BYTES) {
            if (src.getInt(p) != connectionId || src.getLong(p + 4) != seq || src.getLong(p + 12) != intendedNanos) {
                return false;
            }
            i = HEADER_BYTES;
            p += HEADER_BYTES;
        }
        for (int headerEnd = Math.min(to, HEADER_BYTES); i < headerEnd; i++, p++) {
            if (src.get(p) != byteAt(connectionId, seq, intendedNanos, i)) {
                return false;
            }
        }
        int base = (int) (31 * seq + 7 * connectionId);
        if (to - i >= BULK_BYTES) {
            return bulkMatches(src, p, i, to, base);
        }
        long diff = 0;
        for (; i + 8 <= to; i += 8, p += 8) {
            diff |= src.getLong(p) ^ WORDS[(i + base) & 0xFF];
        }
        for (; i < to; i++, p++) {
            diff |= src.get(p) ^ (byte) (i + base);
        }
        return diff == 0;
    }

    private static boolean bulkMatches(ByteBuffer src, int srcIndex, int from, int to, int base) {
        int p = srcIndex;
        for (int i = from; i < to; ) {
            int n = Math.min(to - i, PATTERN_RUN);
            if (src.slice(p, n).mismatch(ByteBuffer.wrap(PATTERN, (i + base) & 0xFF, n)) >= 0) {
                return false;
            }
            i += n;
            p += n;
        }
        return true;
    }
}

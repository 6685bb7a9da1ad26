package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageFormatTest {

    @Test
    void headerCarriesConnectionSequenceAndIntendedTime() {
        ByteBuffer b = ByteBuffer.allocate(64);
        MessageFormat.fill(b, 7, 123_456_789_012L, -42L, 0, 64);
        b.flip();
        assertEquals(7, b.getInt());
        assertEquals(123_456_789_012L, b.getLong());
        assertEquals(-42L, b.getLong());
    }

    @Test
    void anySliceFillsAndVerifiesLikeTheWhole() {
        Random random = new Random(1);
        ByteBuffer whole = ByteBuffer.allocate(300);
        MessageFormat.fill(whole, 3, 9, 1000, 0, 300);
        for (int i = 0; i < 200; i++) {
            int from = random.nextInt(300);
            int to = from + random.nextInt(301 - from);
            ByteBuffer part = ByteBuffer.allocate(to - from);
            MessageFormat.fill(part, 3, 9, 1000, from, to);
            assertEquals(whole.slice(from, to - from), part.flip());
            assertTrue(MessageFormat.matches(whole, from, 3, 9, 1000, from, to));
        }
    }

    @Test
    void everyChangedByteIsDetected() {
        ByteBuffer b = ByteBuffer.allocate(64);
        MessageFormat.fill(b, 1, 2, 3, 0, 64);
        for (int i = 0; i < 64; i++) {
            b.put(i, (byte) (b.get(i) ^ 1));
            assertFalse(MessageFormat.matches(b, 0, 1, 2, 3, 0, 64), "byte " + i);
            b.put(i, (byte) (b.get(i) ^ 1));
        }
        assertTrue(MessageFormat.matches(b, 0, 1, 2, 3, 0, 64));
    }

    @Test
    void bulkAndByteByBytePathsAgree() {
        int size = 200_000;
        ByteBuffer whole = ByteBuffer.allocateDirect(size);
        MessageFormat.fill(whole, 5, 77, 9, 0, size);
        for (int i = 0; i < size; i++) {
            assertEquals(MessageFormat.byteAt(5, 77, 9, i), whole.get(i), "byte " + i);
        }
        assertTrue(MessageFormat.matches(whole, 0, 5, 77, 9, 0, size));
        for (int at : new int[] {20, 300, 65_555, 199_999}) {
            whole.put(at, (byte) (whole.get(at) + 1));
            assertFalse(MessageFormat.matches(whole, 0, 5, 77, 9, 0, size), "byte " + at);
            assertEquals(at < 100, MessageFormat.matches(whole, 100, 5, 77, 9, 100, size), "byte " + at + " from 100");
            whole.put(at, (byte) (whole.get(at) - 1));
        }
    }

    @Test
    void anotherMessageOrConnectionDoesNotMatch() {
        ByteBuffer b = ByteBuffer.allocate(64);
        MessageFormat.fill(b, 1, 2, 3, 0, 64);
        assertFalse(MessageFormat.matches(b, 0, 1, 3, 3, 0, 64), "next sequence number");
        assertFalse(MessageFormat.matches(b, 0, 2, 2, 3, 0, 64), "other connection");
        assertFalse(MessageFormat.matches(b, 0, 1, 2, 4, 0, 64), "other send time");
        assertFalse(MessageFormat.matches(b, 0, 1, 3, 3, 20, 64), "payload alone tells messages apart");
    }

    @Test
    void inFlightRingKeepsOrderWhileGrowing() {
        InFlight ring = new InFlight();
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < round; i++, next++) {
                ring.push(next, next + 1_000);
            }
            for (int i = 0; i < round / 2; i++, expected++) {
                assertEquals(expected, ring.intendedNanos(0));
                assertEquals(expected + 1_000, ring.oldestSentNanos());
                ring.removeOldest();
            }
        }
        assertEquals(next - expected, ring.size());
        for (int i = 0; i < ring.size(); i++) {
            assertEquals(expected + i, ring.intendedNanos(i));
        }
    }
}

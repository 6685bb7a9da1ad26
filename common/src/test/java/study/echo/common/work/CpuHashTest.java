package study.echo.common.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CpuHashTest {
    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Published FNV-1a 64-bit test vectors (Fowler, Noll, Vo). */
    @Test
    void isFnv1aOverOnePass() {
        assertEquals(0xcbf29ce484222325L, CpuHash.hash(bytes("a"), 0, 1, 0));
        assertEquals(0xaf63dc4c8601ec8cL, CpuHash.hash(bytes("a"), 0, 1, 1));
        assertEquals(0x85944171f73967e8L, CpuHash.hash(bytes("foobar"), 0, 6, 6));
    }

    @Test
    void iterationsPastTheEndStartAgainAtTheRequest() {
        assertEquals(CpuHash.hash(bytes("foobarfoobarfoo"), 0, 15, 15), CpuHash.hash(bytes("foobar"), 0, 6, 15));
    }

    @Test
    void readsOnlyItsRequest() {
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.put("xxfoobarxx".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0x85944171f73967e8L, CpuHash.hash(direct, 2, 6, 6));
        assertNotEquals(CpuHash.hash(direct, 2, 6, 7), CpuHash.hash(direct, 2, 6, 6));
    }
}

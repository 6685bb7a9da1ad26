package study.echo.common.work;

import java.nio.ByteBuffer;

/**
 * The CPU work of a request: 64-bit FNV-1a over the request's bytes, taken cyclically, one byte per
 * iteration. Each step multiplies the previous hash, so the iterations form one dependent chain that
 * neither the JIT nor a C compiler can vectorise or skip, and the cost of an iteration does not depend
 * on the request's size. {@code native/echo_server.c} implements the same function; a test checks the
 * two agree.
 *
 * <p>It counts work, not time: a thread that is preempted half way still does every iteration.
 */
public final class CpuHash {
    public static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    public static final long PRIME = 0x100000001b3L;

    private CpuHash() {}

    /**
     * @param request    bytes {@code offset} to {@code offset + length} are read, by absolute index
     * @param length     1 or more bytes
     * @param iterations bytes to hash, 0 or more; past the request's end it starts again at {@code offset}
     * @return the FNV-1a hash from {@link #OFFSET_BASIS}; for {@code iterations == length} that is plain FNV-1a
     */
    public static long hash(ByteBuffer request, int offset, int length, long iterations) {
        long h = OFFSET_BASIS;
        long fullPasses = iterations / length;
        int rest = (int) (iterations % length);
        for (long pass = 0; pass < fullPasses; pass++) {
            h = pass(h, request, offset, length);
        }
        return pass(h, request, offset, rest);
    }

    private static long pass(long h, ByteBuffer request, int offset, int count) {
        for (int i = 0; i < count; i++) {
            h = (h ^ (request.get(offset + i) & 0xff)) * PRIME;
        }
        return h;
    }
}

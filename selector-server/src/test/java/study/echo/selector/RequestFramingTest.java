package study.echo.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import study.echo.common.work.CpuHash;
import study.echo.common.work.RequestWork;
import study.echo.common.work.WorkSpec;

/**
 * Requests however the stream cuts them, on the loop and offloaded: each complete request is handled
 * exactly once, in order, with its own bytes (the checksum of the CPU work says so), only once it is
 * complete, and echoed byte-exact.
 */
@Timeout(120)
class RequestFramingTest {
    private static final int BUFFER_BYTES = 4096;
    private static final long CPU_ITERATIONS = 50;
    private static final WorkSpec SPEC = WorkSpec.parse("cpu:1us+wait:1ms");

    @ParameterizedTest
    @ValueSource(strings = {"none", "platform:2", "virtual"})
    void aRequestSentOneByteAtATimeIsHandledOnceAndOnlyWhenComplete(String offload) throws Exception {
        int size = 100;
        byte[] sent = randomBytes(3 * size, 1);
        try (ServedGroup served = new ServedGroup(BUFFER_BYTES, new RequestWork(size, SPEC, CPU_ITERATIONS), Offload.parse(offload))) {
            Socket client = served.connect();
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < sent.length; i++) {
                out.write(sent[i]);
                if (i % 10 == 0) {
                    Thread.sleep(1); // so that the server's reads end mid-request
                }
                if (i == size + size / 2) {
                    assertArrayEquals(slice(sent, 0, size), in.readNBytes(size), "the first request, echoed");
                    assertNothingArrives(client, "half a request is not echoed");
                }
            }
            assertArrayEquals(slice(sent, size, 3 * size), in.readNBytes(2 * size));
            client.close();
            assertTrue(served.shutDown());
            assertHandled(served.work, sent, size);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "platform:2", "virtual"})
    void manyRequestsInOneWriteAreEachHandledOnce(String offload) throws Exception {
        int size = 100;
        byte[] sent = randomBytes(200 * size, 2); // about five reads, each ending mid-request
        try (ServedGroup served = new ServedGroup(BUFFER_BYTES, new RequestWork(size, SPEC, CPU_ITERATIONS), Offload.parse(offload))) {
            Socket client = served.connect();
            client.getOutputStream().write(sent);
            assertArrayEquals(sent, client.getInputStream().readNBytes(sent.length));
            client.close();
            assertTrue(served.shutDown());
            assertHandled(served.work, sent, size);
        }
    }

    /** Random chunks, with requests smaller and larger than the read buffer. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "platform:2", "virtual"})
    void requestsStraddlingReadsAreEachHandledOnce(String offload) throws Exception {
        for (int size : new int[] {37, 3 * BUFFER_BYTES + 5}) {
            byte[] sent = randomBytes(size * (size < BUFFER_BYTES ? 300 : 5), size);
            try (ServedGroup served = new ServedGroup(BUFFER_BYTES, new RequestWork(size, SPEC, CPU_ITERATIONS), Offload.parse(offload))) {
                Socket client = served.connect();
                OutputStream out = client.getOutputStream();
                Random chunks = new Random(size);
                for (int at = 0; at < sent.length; ) {
                    int n = Math.min(sent.length - at, 1 + chunks.nextInt(2 * BUFFER_BYTES));
                    out.write(sent, at, n);
                    at += n;
                    Thread.sleep(chunks.nextInt(3));
                }
                assertArrayEquals(sent, client.getInputStream().readNBytes(sent.length), "request size " + size);
                client.close();
                assertTrue(served.shutDown());
                assertHandled(served.work, sent, size);
            }
        }
    }

    /** Every request once, in order: the count, and the checksum the handler folds the hashes into. */
    private static void assertHandled(RequestWork work, byte[] sent, int size) {
        assertEquals(sent.length / size, work.requestsHandled(), work.report());
        long checksum = 0;
        for (int offset = 0; offset < sent.length; offset += size) {
            checksum = checksum * 31 + CpuHash.hash(ByteBuffer.wrap(sent), offset, size, CPU_ITERATIONS);
        }
        assertEquals(checksum, work.checksum(), "each request hashed once, in order, with its own bytes");
    }

    private static void assertNothingArrives(Socket client, String message) throws Exception {
        client.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read(), message);
        client.setSoTimeout(30_000);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}

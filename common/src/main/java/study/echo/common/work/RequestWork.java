package study.echo.common.work;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import study.echo.common.BadOptionException;
import study.echo.common.ServerConfig;

/**
 * The request handler every server variant shares: how the byte stream is cut into requests, and what
 * is done with each complete request before its bytes are echoed unchanged. Immutable apart from the
 * running tally that {@link #report()} prints at shutdown.
 *
 * <p>The CPU work's result is folded into a per-connection checksum and the checksums into a total that
 * is printed at shutdown, so the JIT cannot prove the hash unused and remove it. The wait is
 * {@link Thread#sleep}: a virtual thread parks, a platform thread sleeps.
 */
public final class RequestWork {
    public static final int MAX_REQUEST_BYTES = ServerConfig.MAX_BUFFER_BYTES;

    private final int requestSizeBytes;
    private final WorkSpec spec;
    private final long cpuIterations;
    private final LongAdder requestsHandled = new LongAdder();
    private final AtomicLong checksumTotal = new AtomicLong();

    /**
     * @param requestSizeBytes 0 for a byte stream echoed as it comes (then {@code spec} must be none), or
     *                         1 to {@link #MAX_REQUEST_BYTES}: the stream is requests of this size
     * @param spec             what is done per request
     * @param cpuIterations    {@link CpuHash} iterations per request, 1 or more when {@code spec} has CPU
     *                         work, else 0
     */
    public RequestWork(int requestSizeBytes, WorkSpec spec, long cpuIterations) {
        if (requestSizeBytes < 0 || requestSizeBytes > MAX_REQUEST_BYTES) {
            throw new BadOptionException("--request-size must be between 0 and " + MAX_REQUEST_BYTES
                    + " bytes, got " + requestSizeBytes);
        }
        if (requestSizeBytes == 0 && !spec.isNone()) {
            throw new BadOptionException("--work " + spec + " needs requests: give --request-size BYTES (the"
                    + " client's message size)");
        }
        if (spec.hasCpu() ? cpuIterations < 1 : cpuIterations != 0) {
            throw new BadOptionException("--cpu-iterations must be 1 or more with cpu: work and is only"
                    + " taken with it, got " + cpuIterations + " for --work " + spec);
        }
        this.requestSizeBytes = requestSizeBytes;
        this.spec = spec;
        this.cpuIterations = cpuIterations;
    }

    /** Today's echo: no framing, no work. */
    public static RequestWork echoOnly() {
        return new RequestWork(0, WorkSpec.NONE, 0);
    }

    /** Whether the stream is cut into requests; when false, the server echoes bytes as they come. */
    public boolean framed() {
        return requestSizeBytes > 0;
    }

    public int requestSizeBytes() {
        return requestSizeBytes;
    }

    public WorkSpec spec() {
        return spec;
    }

    public long cpuIterations() {
        return cpuIterations;
    }

    /** @return how many of {@code availableBytes} make up whole requests: a multiple of the request size */
    public int completeBytes(int availableBytes) {
        return availableBytes - availableBytes % requestSizeBytes;
    }

    /** The work state of one connection; one thread at a time uses it. */
    public Connection newConnection() {
        return new Connection();
    }

    /** Total requests handled and the checksum of their CPU work, for the shutdown line. */
    public String report() {
        return "work " + spec + ": " + requestsHandled.sum() + " requests handled, checksum 0x"
                + Long.toHexString(checksumTotal.get());
    }

    public long requestsHandled() {
        return requestsHandled.sum();
    }

    public long checksum() {
        return checksumTotal.get();
    }

    /** One connection's requests: handled in order, their CPU work folded into its checksum. */
    public final class Connection {
        private long checksum;
        private long requests;
        private boolean closed;

        private Connection() {}

        /**
         * Handles every request in {@code buffer[from, from + bytes)}, in order: the CPU work, then the wait.
         *
         * @param bytes a multiple of the request size ({@link #completeBytes})
         * @throws InterruptedException when the thread is interrupted in a wait (shutdown)
         */
        public void handleAll(ByteBuffer buffer, int from, int bytes) throws InterruptedException {
            for (int offset = from; offset < from + bytes; offset += requestSizeBytes) {
                handle(buffer, offset);
            }
        }

        private void handle(ByteBuffer buffer, int offset) throws InterruptedException {
            if (cpuIterations > 0) {
                checksum = checksum * 31 + CpuHash.hash(buffer, offset, requestSizeBytes, cpuIterations);
            }
            requests++;
            if (spec.hasWait()) {
                Thread.sleep(spec.waitTime());
            }
        }

        /** Adds this connection's tally to the server's; call once, when the connection closes. */
        public void close() {
            if (!closed) {
                closed = true;
                requestsHandled.add(requests);
                checksumTotal.addAndGet(checksum);
            }
        }
    }
}

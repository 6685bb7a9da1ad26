package study.echo.selector;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.IntFunction;
import study.echo.common.work.RequestWork;

/**
 * A connection whose stream is fixed-size requests ({@code --request-size} above 0): each complete request
 * is handled ({@link RequestWork}), then its bytes are echoed unchanged.
 *
 * <p>Reads go into the loop's shared buffer, as for the plain echo. A request that a read leaves
 * incomplete is copied into this connection's partial buffer, exactly one request large; while it is
 * there, a read takes only the bytes that complete it (and at most one read buffer), so the connection
 * never holds more than one partial request, and the shared buffer never holds bytes of it.
 *
 * <p>With an offload, the complete requests of one read are copied into a batch and handed to the
 * executor as one task, handled there in order, as a blocking server's thread would handle them. Until
 * the loop has the batch back, the connection's interest is 0, so it is not read: at most one task per
 * connection is in flight. The loop then writes the batch; what the socket does not take stays as the
 * pending output (the batch itself, not a copy) and, as for the plain echo, nothing is read until it is sent.
 *
 * <p>Memory: at most one read of complete requests (in flight or pending) plus one partial request. An
 * incomplete request at end-of-stream is not a request: the connection closes without echoing it.
 */
final class RequestConnection extends EchoConnection {
    /** Where a connection's batch of requests goes to be handled off the loop. */
    @FunctionalInterface
    interface Handoff {
        void offload(RequestConnection connection, ByteBuffer batch);
    }

    private final RequestWork work;
    private final RequestWork.Connection handler;
    /** Null: the handler runs on the loop ({@code --offload none}). */
    private final Handoff handoff;
    /** The first bytes of the next request, in write mode; null while a read ended on a request's end. */
    private ByteBuffer partial;
    /** Bytes of the task in flight, 0 when none. Loop thread only. */
    private int batchBytes;
    private boolean closed;

    RequestConnection(SocketChannel channel, SelectionKey key, IntFunction<ByteBuffer> allocator,
                      RequestWork work, Handoff handoff) {
        super(channel, key, allocator);
        this.work = work;
        this.handler = work.newConnection();
        this.handoff = handoff;
    }

    @Override
    int readAndEcho(ByteBuffer readBuffer) throws IOException {
        readBuffer.clear();
        if (partial != null) {
            readBuffer.limit(Math.min(readBuffer.capacity(), partial.remaining()));
        }
        int read = channel.read(readBuffer);
        if (read <= 0) {
            if (read < 0) {
                close();
            }
            return read;
        }
        readBuffer.flip();
        if (partial != null) {
            completePartial(readBuffer);
            return read;
        }
        int complete = work.completeBytes(read);
        if (complete < read) {
            keepPartial(readBuffer, complete, read);
        }
        if (complete > 0) {
            handle(readBuffer.limit(complete), false);
        }
        return read;
    }

    /** A request straddles reads: keep its first bytes. */
    private void keepPartial(ByteBuffer readBuffer, int from, int to) {
        partial = allocator.apply(work.requestSizeBytes()).put(0, readBuffer, from, to - from).position(to - from);
    }

    private void completePartial(ByteBuffer readBuffer) throws IOException {
        partial.put(readBuffer);
        if (!partial.hasRemaining()) {
            ByteBuffer request = partial.flip();
            partial = null;
            handle(request, true);
        }
    }

    /**
     * Handles the complete requests in {@code requests} (read mode, from position 0), on the loop or
     * through the handoff.
     *
     * @param owned whether {@code requests} is this connection's own buffer, else the loop's shared one
     */
    private void handle(ByteBuffer requests, boolean owned) throws IOException {
        if (handoff != null) {
            offload(owned ? requests : allocator.apply(requests.remaining()).put(requests).flip());
            return;
        }
        try {
            handler.handleAll(requests, 0, requests.remaining());
        } catch (InterruptedException e) {
            // Only shutdown interrupts a loop thread (EventLoopGroup.closeAll, when waits run on the loops).
            // It costs this connection; it is not kept, or every select would return at once.
            throw new InterruptedIOException("interrupted in a wait on the event loop");
        }
        channel.write(requests);
        if (requests.hasRemaining()) {
            if (owned) {
                holdBackOwned(requests);
            } else {
                holdBack(requests);
            }
        }
    }

    private void offload(ByteBuffer batch) {
        key.interestOps(0);
        handoff.offload(this, batch);
        batchBytes = batch.capacity();
    }

    /** On the executor: the whole handler for one batch, in order. */
    void handleOffloaded(ByteBuffer batch) throws InterruptedException {
        handler.handleAll(batch, 0, batch.remaining());
    }

    /** On the loop, once the batch's task has finished: write it back and read again, or hold it back. */
    void onTaskDone(ByteBuffer batch) throws IOException {
        batchBytes = 0;
        if (closed) {
            handler.close(); // closed while the task ran: its requests count now that it is done
            return;
        }
        channel.write(batch);
        if (batch.hasRemaining()) {
            holdBackOwned(batch);
        } else {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** On the loop, once the batch's task has failed: this connection closes. */
    void onTaskFailed() {
        batchBytes = 0;
        close();
    }

    boolean hasTaskInFlight() {
        return batchBytes > 0;
    }

    @Override
    int heldBytes() {
        return super.heldBytes() + (partial == null ? 0 : partial.capacity()) + batchBytes;
    }

    /** Safe with a task in flight: the channel closes now, the tally once the task is back. */
    @Override
    void close() {
        super.close();
        closed = true;
        partial = null;
        if (batchBytes == 0) {
            handler.close();
        }
    }
}

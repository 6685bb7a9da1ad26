package study.echo.selector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.IntFunction;

/**
 * The echo protocol for one non-blocking connection on a selector loop, the heir of the classic
 * {@code select()} server's per-socket message queue.
 *
 * <p>Hot path: read into the loop's shared buffer and write it straight back. Only when the socket
 * cannot take all of it is the remainder copied into this connection's pending output, and while
 * anything is pending the connection is interested in OP_WRITE alone: it stops reading, so a client
 * that does not read is held at one read of bytes (at most the shared buffer's size), however much it sends.
 *
 * <p>Memory: the pending output is exactly as large as what the socket did not take, and is dropped
 * once sent, so a connection holds nothing of its own between messages and at most one read buffer's
 * worth while its client does not read. A stalled connection used to keep a whole {@code --buffer-size}
 * buffer for good, which is what made 16 MiB buffers run the heap out with a few dozen stalled clients.
 *
 * <p>A half-close needs no state of its own: end-of-stream is only read once nothing is pending, so
 * by then every byte has been sent back, and the connection closes.
 */
sealed class EchoConnection permits RequestConnection {
    final SocketChannel channel;
    final SelectionKey key;
    /** Allocates pending output; {@code ByteBuffer::allocate} except where a test injects a fault. */
    final IntFunction<ByteBuffer> allocator;
    /** Bytes read but not yet written, in read mode; null while nothing is pending. */
    private ByteBuffer pending;

    EchoConnection(SocketChannel channel, SelectionKey key, IntFunction<ByteBuffer> allocator) {
        this.channel = channel;
        this.key = key;
        this.allocator = allocator;
    }

    /**
     * Handles the ready operations of this connection's key.
     *
     * @param readBuffer the loop's shared read buffer; its capacity bounds what this connection holds
     * @return bytes echoed by this call, or -1 when the connection reached end-of-stream and closed
     * @throws IOException on a reset or any other socket error; the caller closes the connection
     */
    int onReady(ByteBuffer readBuffer) throws IOException {
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            return flushPending();
        }
        return readAndEcho(readBuffer);
    }

    /** Reads once and echoes what came; {@link RequestConnection} cuts it into requests instead. */
    int readAndEcho(ByteBuffer readBuffer) throws IOException {
        readBuffer.clear();
        int read = channel.read(readBuffer);
        if (read <= 0) {
            if (read < 0) {
                close();
            }
            return read;
        }
        readBuffer.flip();
        channel.write(readBuffer);
        if (readBuffer.hasRemaining()) {
            holdBack(readBuffer);
        }
        return read;
    }

    /** Rare path: the socket's send buffer is full. Keep the rest and wait for OP_WRITE instead of reading. */
    void holdBack(ByteBuffer rest) {
        holdBackOwned(allocator.apply(rest.remaining()).put(rest).flip());
    }

    /** Like {@link #holdBack}, for a buffer this connection owns already: kept as it is, not copied. */
    void holdBackOwned(ByteBuffer rest) {
        pending = rest;
        key.interestOps(SelectionKey.OP_WRITE);
    }

    private int flushPending() throws IOException {
        int written = channel.write(pending);
        if (!pending.hasRemaining()) {
            pending = null;
            key.interestOps(SelectionKey.OP_READ);
        }
        return written;
    }

    int interestOps() {
        return key.interestOps();
    }

    boolean hasPendingOutput() {
        return pending != null && pending.hasRemaining();
    }

    /** Bytes of memory this connection holds of its own right now: its pending output's capacity. */
    int heldBytes() {
        return pending == null ? 0 : pending.capacity();
    }

    void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to tell the peer; the descriptor is released either way.
        }
    }
}

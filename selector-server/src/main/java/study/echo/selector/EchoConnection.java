package study.echo.selector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The echo protocol for one non-blocking connection on a selector loop, the heir of the classic
 * {@code select()} server's per-socket message queue.
 *
 * <p>Hot path: read into the loop's shared buffer and write it straight back. Only when the socket
 * cannot take all of it is the remainder copied into this connection's pending output, and while
 * anything is pending the connection is interested in OP_WRITE alone: it stops reading, so a client
 * that does not read is held at one buffer of bytes, however much it sends.
 *
 * <p>A half-close needs no state of its own: end-of-stream is only read once nothing is pending, so
 * by then every byte has been sent back, and the connection closes.
 */
final class EchoConnection {
    private final SocketChannel channel;
    private final SelectionKey key;
    private final int pendingCapacityBytes;
    /** Bytes read but not yet written, in read mode; allocated the first time the socket pushes back. */
    private ByteBuffer pending;

    EchoConnection(SocketChannel channel, SelectionKey key, int pendingCapacityBytes) {
        this.channel = channel;
        this.key = key;
        this.pendingCapacityBytes = pendingCapacityBytes;
    }

    /**
     * Handles the ready operations of this connection's key.
     *
     * @param readBuffer the loop's shared read buffer, at most {@code pendingCapacityBytes} long
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

    private int readAndEcho(ByteBuffer readBuffer) throws IOException {
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
    private void holdBack(ByteBuffer rest) {
        if (pending == null) {
            pending = ByteBuffer.allocate(pendingCapacityBytes);
        }
        pending.clear();
        pending.put(rest).flip();
        key.interestOps(SelectionKey.OP_WRITE);
    }

    private int flushPending() throws IOException {
        int written = channel.write(pending);
        if (!pending.hasRemaining()) {
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

    void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to tell the peer; the descriptor is released either way.
        }
    }
}

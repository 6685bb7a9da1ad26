package study.echo.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import study.echo.common.SocketFamily;

/**
 * Two connected TCP endpoints over loopback inside one JVM, in blocking mode with TCP_NODELAY, as
 * the servers set them. For benchmarks that time an I/O or threading primitive, not a server.
 */
final class LoopbackPair implements AutoCloseable {
    final SocketChannel left;
    final SocketChannel right;

    private LoopbackPair(SocketChannel left, SocketChannel right) {
        this.left = left;
        this.right = right;
    }

    static LoopbackPair open() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        // The family of the address, as the servers and the client open theirs (see SocketFamily).
        try (ServerSocketChannel listener = ServerSocketChannel.open(SocketFamily.of(loopback))) {
            listener.bind(loopback);
            SocketChannel left = SocketChannel.open(SocketFamily.of(loopback));
            left.connect(listener.getLocalAddress());
            SocketChannel right = listener.accept();
            left.setOption(StandardSocketOptions.TCP_NODELAY, true);
            right.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new LoopbackPair(left, right);
        }
    }

    /**
     * Fills {@code buffer} from a blocking channel. Every read returns at least one byte or throws,
     * so the loop runs at most {@code buffer.remaining()} times.
     */
    static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("peer closed with " + buffer.remaining() + " bytes still expected");
            }
        }
    }

    /** A blocking channel writes everything in one call; the loop only guards that contract. */
    static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        try (left; right) {
            // Closes both, the second even when the first fails.
        }
    }
}

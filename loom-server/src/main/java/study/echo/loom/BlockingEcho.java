package study.echo.loom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The echo protocol as a plain blocking loop: read, then write everything read, until end-of-stream.
 * It is the whole per-connection behaviour of the thread-per-connection server.
 *
 * <p>Backpressure needs no code: when the client stops reading, the blocking write waits, so this
 * loop stops reading too, and it never holds more than one buffer of the client's bytes. A half-close
 * needs none either: by the time read returns end-of-stream, every byte read has been written.
 */
final class BlockingEcho {
    private BlockingEcho() {}

    /**
     * Echoes until the peer closes its output.
     *
     * @param buffer the connection's own buffer; its capacity is the most bytes held at once
     * @return the number of bytes echoed
     * @throws IOException on a reset or any other socket error
     */
    static long echo(SocketChannel channel, ByteBuffer buffer) throws IOException {
        long echoedBytes = 0;
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            echoedBytes += buffer.remaining();
            // A blocking channel writes everything before returning; the loop only guards that contract.
            do {
                channel.write(buffer);
            } while (buffer.hasRemaining());
            buffer.clear();
        }
        return echoedBytes;
    }
}

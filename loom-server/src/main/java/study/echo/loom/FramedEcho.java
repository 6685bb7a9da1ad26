package study.echo.loom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import study.echo.common.work.RequestWork;

/**
 * The echo with requests ({@code --request-size} above 0): read, handle the complete requests of
 * what was read in order on this connection's own thread, write their bytes back unchanged, keep the
 * incomplete tail for the next read. {@link BlockingEcho} stays the path without requests, untouched.
 *
 * <p>Backpressure is the same as {@link BlockingEcho}'s: the blocking write waits, so the connection
 * holds one buffer, the requests being handled included, and reads nothing more meanwhile.
 */
final class FramedEcho {
    private FramedEcho() {}

    /**
     * Echoes requests until the peer closes its output; a last request the peer never completed is not
     * a request, and is neither handled nor echoed.
     *
     * @param buffer the connection's own buffer, at least one request long
     * @throws IOException          on a reset or any other socket error
     * @throws InterruptedException when interrupted in a wait (shutdown)
     */
    static void echo(SocketChannel channel, ByteBuffer buffer, RequestWork work, RequestWork.Connection requests)
            throws IOException, InterruptedException {
        while (channel.read(buffer) >= 0) {
            int readEnd = buffer.position();
            int complete = work.completeBytes(readEnd);
            if (complete == 0) {
                continue; // the buffer holds a request, so an incomplete one leaves room to read into
            }
            requests.handleAll(buffer, 0, complete);
            buffer.position(0).limit(complete);
            do {
                channel.write(buffer);
            } while (buffer.hasRemaining());
            buffer.limit(readEnd).position(complete);
            buffer.compact();
        }
    }
}

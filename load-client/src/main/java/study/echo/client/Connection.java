package study.echo.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import study.echo.common.EchoServer;

/**
 * One client connection: what it has sent, what came back, and the check of every echoed byte.
 * The stream is a sequence of fixed-size messages, so a byte's position in the stream says which
 * message and which offset it belongs to; nothing of the payload is stored.
 */
final class Connection {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    final int id;
    private final SocketChannel channel;
    private final int sizeBytes;
    private final LatencyRecorders recorders;
    private final Counters counters;
    /** Shared with every connection of the same I/O thread. */
    private final ByteBuffer writeBuffer;
    private final InFlight inFlight = new InFlight();
    private SelectionKey key;

    /** Messages handed to {@link #send}; their bytes are {@code [0, sentMessages * sizeBytes)} of the stream. */
    private long sentMessages;
    /** Stream bytes accepted by the kernel. */
    private long writtenBytes;
    /** Stream bytes echoed and checked. */
    private long echoedBytes;
    private boolean currentMessageDiffers;
    /** Open loop: messages whose time has come but that wait for the in-flight count to drop. */
    int backlog;
    private boolean open = true;

    Connection(int id, SocketChannel channel, int sizeBytes, LatencyRecorders recorders, Counters counters,
               ByteBuffer writeBuffer) {
        this.id = id;
        this.channel = channel;
        this.sizeBytes = sizeBytes;
        this.recorders = recorders;
        this.counters = counters;
        this.writeBuffer = writeBuffer;
    }

    SocketChannel channel() {
        return channel;
    }

    void attach(SelectionKey key) {
        this.key = key;
    }

    boolean isOpen() {
        return open;
    }

    /** Messages sent and not yet fully echoed. */
    int inFlight() {
        return inFlight.size();
    }

    /** Sequence number of the next message {@link #send} sends. */
    long nextSeq() {
        return sentMessages;
    }

    /**
     * Sends the next message. Latency counts from {@code intendedNanos}, service time from {@code nowNanos}.
     * Bytes the kernel does not take now go out when the socket is writable again.
     */
    void send(long intendedNanos, long nowNanos) {
        inFlight.push(intendedNanos, nowNanos);
        sentMessages++;
        flush();
    }

    /** Writes pending bytes. Called after {@link #send} and when the socket becomes writable. */
    void flush() {
        long end = sentMessages * sizeBytes;
        try {
            while (writtenBytes < end) {
                ByteBuffer out = writeBuffer.clear();
                long pos = writtenBytes;
                long limit = Math.min(end, pos + out.capacity());
                while (pos < limit) {
                    long seq = pos / sizeBytes;
                    int from = (int) (pos - seq * sizeBytes);
                    int to = (int) Math.min(sizeBytes, from + (limit - pos));
                    MessageFormat.fill(out, id, seq, inFlight.intendedNanos((int) (seq - echoedMessages())), from, to);
                    pos += to - from;
                }
                out.flip();
                int written = channel.write(out);
                writtenBytes += written;
                if (out.hasRemaining()) {
                    key.interestOpsOr(SelectionKey.OP_WRITE);
                    return;
                }
            }
            if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                key.interestOpsAnd(~SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            ended(e.getMessage());
        }
    }

    private long echoedMessages() {
        return echoedBytes / sizeBytes;
    }

    /**
     * Reads what is there, checks every byte and records each message completed.
     *
     * @param readBuffer shared by the I/O thread
     * @return messages completed by this read
     */
    int read(ByteBuffer readBuffer, long nowNanos) {
        int n;
        try {
            n = channel.read(readBuffer.clear());
        } catch (IOException e) {
            ended(e.getMessage());
            return 0;
        }
        if (n < 0) {
            ended("closed by the server");
            return 0;
        }
        return check(readBuffer, n, nowNanos);
    }

    private int check(ByteBuffer buf, int n, long nowNanos) {
        int completed = 0;
        int p = 0;
        while (p < n) {
            if (echoedBytes >= writtenBytes) {
                unsentBytesEchoed();
                return completed;
            }
            long seq = echoedMessages();
            int from = (int) (echoedBytes - seq * sizeBytes);
            int take = (int) Math.min(n - p, Math.min(sizeBytes - from, writtenBytes - echoedBytes));
            if (!MessageFormat.matches(buf, p, id, seq, inFlight.intendedNanos(0), from, from + take)) {
                currentMessageDiffers = true;
            }
            p += take;
            echoedBytes += take;
            if (from + take == sizeBytes) {
                complete(nowNanos);
                completed++;
            }
        }
        return completed;
    }

    private void complete(long nowNanos) {
        if (currentMessageDiffers) {
            counters.increment(Counters.Kind.MISMATCHES);
            currentMessageDiffers = false;
        } else {
            recorders.record(nowNanos - inFlight.intendedNanos(0), nowNanos - inFlight.oldestSentNanos());
        }
        inFlight.removeOldest();
    }

    /** More came back than was ever sent: the stream cannot be trusted any further. */
    private void unsentBytesEchoed() {
        counters.increment(Counters.Kind.MISMATCHES);
        LOG.log(Level.DEBUG, "connection {0}: server sent bytes that were never sent to it", id);
        close();
    }

    /** The server ended the connection while the run still needed it. */
    private void ended(String why) {
        if (!open) {
            return;
        }
        boolean partial = echoedBytes % sizeBytes != 0;
        counters.increment(partial ? Counters.Kind.SHORT_ECHOES : Counters.Kind.EARLY_CLOSES);
        // A peer reset is ordinary network life; it is counted, not logged loudly.
        LOG.log(Level.DEBUG, "connection {0} ended early ({1}): {2}", id, partial ? "short echo" : "early close", why);
        close();
    }

    void close() {
        open = false;
        if (key != null) {
            key.cancel();
        }
        EchoServer.closeQuietly(channel);
    }
}

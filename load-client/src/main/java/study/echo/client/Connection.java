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

    /** Messages handed to {@link #send}: messages {@code [0, sentMessages)} of the stream. */
    private long sentMessages;
    /**
     * The next byte to write is byte {@code writeOffset} of message {@code writeSeq}. Positions are kept
     * as message and offset, not as one stream offset, so that the per-message path never divides.
     */
    private long writeSeq;
    private int writeOffset;
    /** The next echoed byte to check is byte {@code echoOffset} of message {@code echoSeq}. */
    private long echoSeq;
    private int echoOffset;
    private boolean currentMessageDiffers;
    /** Whether OP_WRITE is in the key's interest set, kept here to skip reading it back per flush. */
    private boolean writeInterest;
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
        enqueue(intendedNanos, nowNanos);
        flush();
    }

    /** Like {@link #send} without writing yet, so that several messages go out in one write: call {@link #flush} after. */
    void enqueue(long intendedNanos, long nowNanos) {
        inFlight.push(intendedNanos, nowNanos);
        sentMessages++;
    }

    /** Writes pending bytes. Called after {@link #send} and when the socket becomes writable. */
    void flush() {
        try {
            while (writeSeq < sentMessages) {
                ByteBuffer out = writeBuffer.clear();
                long seq = writeSeq;
                int from = writeOffset;
                while (seq < sentMessages && out.hasRemaining()) {
                    int to = Math.min(sizeBytes, from + out.remaining());
                    MessageFormat.fill(out, id, seq, inFlight.intendedNanos((int) (seq - echoSeq)), from, to);
                    if (to == sizeBytes) {
                        seq++;
                        from = 0;
                    } else {
                        from = to;
                    }
                }
                out.flip();
                advanceWritten(channel.write(out));
                if (out.hasRemaining()) {
                    writeInterest(true);
                    return;
                }
            }
            writeInterest(false);
        } catch (IOException e) {
            ended(e.getMessage());
        }
    }

    private void advanceWritten(int bytes) {
        writeOffset += bytes;
        if (writeOffset == sizeBytes) {
            // The usual case: the rest of one message, usually all of it.
            writeSeq++;
            writeOffset = 0;
        } else if (writeOffset > sizeBytes) {
            writeSeq += writeOffset / sizeBytes;
            writeOffset %= sizeBytes;
        }
    }

    private void writeInterest(boolean wanted) {
        if (writeInterest != wanted) {
            writeInterest = wanted;
            if (wanted) {
                key.interestOpsOr(SelectionKey.OP_WRITE);
            } else {
                key.interestOpsAnd(~SelectionKey.OP_WRITE);
            }
        }
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
            // Bytes of message echoSeq that were written and not yet echoed.
            int unechoed = echoSeq < writeSeq ? sizeBytes - echoOffset : writeOffset - echoOffset;
            if (unechoed <= 0) {
                unsentBytesEchoed();
                return completed;
            }
            int take = Math.min(n - p, unechoed);
            int to = echoOffset + take;
            if (!MessageFormat.matches(buf, p, id, echoSeq, inFlight.intendedNanos(0), echoOffset, to)) {
                currentMessageDiffers = true;
            }
            p += take;
            if (to == sizeBytes) {
                complete(nowNanos);
                completed++;
            } else {
                echoOffset = to;
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
        echoSeq++;
        echoOffset = 0;
    }

    /**
     * At the measured window's end: notes each message sent before {@code endNanos} and not yet fully
     * echoed, with how long it has waited by then from its intended and from its actual send.
     */
    void unansweredAt(long endNanos, Unanswered into) {
        if (!open) {
            // Its messages died with it, and the early close or short echo is already counted.
            return;
        }
        for (int i = 0; i < inFlight.size(); i++) {
            long sent = inFlight.sentNanos(i);
            if (endNanos - sent > 0) {
                into.add(endNanos - inFlight.intendedNanos(i), endNanos - sent);
            }
        }
    }

    /** More came back than was ever sent: the stream cannot be trusted any further. */
    private void unsentBytesEchoed() {
        counters.increment(Counters.Kind.MISMATCHES);
        counters.increment(Counters.Kind.CONNECTIONS_LOST);
        LOG.log(Level.DEBUG, "connection {0}: server sent bytes that were never sent to it", id);
        close();
    }

    /** The server ended the connection while the run still needed it. */
    private void ended(String why) {
        if (!open) {
            return;
        }
        boolean partial = echoOffset != 0;
        counters.increment(partial ? Counters.Kind.SHORT_ECHOES : Counters.Kind.EARLY_CLOSES);
        counters.increment(Counters.Kind.CONNECTIONS_LOST);
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

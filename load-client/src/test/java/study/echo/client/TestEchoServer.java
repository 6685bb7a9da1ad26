package study.echo.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only echo server in the test's own JVM, with faults that a real server must never have: it
 * stalls, changes a byte, or closes early. One platform thread per connection keeps it obviously
 * correct; the tests open at most a few hundred connections.
 */
final class TestEchoServer implements AutoCloseable {
    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Peer addresses and accept times (System.nanoTime), in accept order. */
    final List<InetAddress> peers = new CopyOnWriteArrayList<>();
    final List<Long> acceptNanos = new CopyOnWriteArrayList<>();
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean flipped = new AtomicBoolean();
    private volatile boolean closing;

    private long stallEveryMillis;
    private long stallMillis;
    private long flipAtByte = -1;
    private long closeAfterBytes = -1;
    private int chunkBytes = Integer.MAX_VALUE;
    private long answerForMillis = -1;
    private long delayMillis;
    /** With {@link #checkingSendTimes}: 64 B messages whose header was read, and those read before their intended send time. */
    final AtomicLong messagesChecked = new AtomicLong();
    final AtomicLong arrivedBeforeIntended = new AtomicLong();
    private boolean checkSendTimes;

    private TestEchoServer() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        acceptor = Thread.ofPlatform().daemon().name("test-server-accept").unstarted(this::acceptLoop);
    }

    static TestEchoServer echo() throws IOException {
        return new TestEchoServer().begin();
    }

    /** Stops reading and echoing for {@code stallMillis} at the start of every {@code everyMillis}. */
    static TestEchoServer stalling(long everyMillis, long stallMillis) throws IOException {
        TestEchoServer s = new TestEchoServer();
        s.stallEveryMillis = everyMillis;
        s.stallMillis = stallMillis;
        return s.begin();
    }

    /** Echoes everything, except that stream byte {@code position} of the first connection to reach it is changed, once. */
    static TestEchoServer flippingOneByte(long position) throws IOException {
        TestEchoServer s = new TestEchoServer();
        s.flipAtByte = position;
        return s.begin();
    }

    /**
     * Echoes {@code bytes} bytes of each connection, then closes its side (FIN) and reads on until the
     * client closes. A plain close with unread input would send a reset, which may discard echoed
     * bytes still in flight; this server must cut the echo exactly where the test says.
     */
    static TestEchoServer closingAfter(long bytes) throws IOException {
        TestEchoServer s = new TestEchoServer();
        s.closeAfterBytes = bytes;
        return s.begin();
    }

    /**
     * Echoes faithfully, but in writes of at most {@code bytes} bytes, each its own TCP segment
     * (TCP_NODELAY), so that the client's reads end in the middle of messages and its headers.
     */
    static TestEchoServer echoingInChunksOf(int bytes) throws IOException {
        TestEchoServer s = new TestEchoServer();
        s.chunkBytes = bytes;
        return s.begin();
    }

    /**
     * Echoes, each read {@code delayMillis} late, for {@code millis} after it starts; then it goes silent:
     * it keeps reading every byte (so the client's writes never block) and never answers again.
     */
    /**
     * Echoes faithfully and reads each 64 B message's intended send time (the client's System.nanoTime,
     * this JVM's clock when the client runs in-process) as it arrives: a message read before that time was
     * sent early, which an open loop must never do.
     */
    static TestEchoServer checkingSendTimes() throws IOException {
        TestEchoServer s = new TestEchoServer();
        s.checkSendTimes = true;
        return s.begin();
    }

    static TestEchoServer answeringFor(long millis, long delayMillis) throws IOException {
        TestEchoServer s = new TestEchoServer();
        s.answerForMillis = millis;
        s.delayMillis = delayMillis;
        return s.begin();
    }

    private TestEchoServer begin() {
        acceptor.start();
        return this;
    }

    String target() {
        return "127.0.0.1:" + serverSocket.getLocalPort();
    }

    /**
     * A run against this server on one I/O thread, 64 B messages: closed loop with pipeline 1 when
     * {@code rateMsgsPerSec} is 0, else open loop with one message in flight per connection.
     */
    ClientConfig config(int connections, java.time.Duration duration, java.time.Duration warmup, long rateMsgsPerSec) {
        ClientConfig.Mode mode = rateMsgsPerSec == 0 ? ClientConfig.Mode.CLOSED : ClientConfig.Mode.OPEN;
        return new ClientConfig("127.0.0.1", serverSocket.getLocalPort(), connections, 64, duration, warmup, mode,
                rateMsgsPerSec, 1, 1, 1000, List.of(), 1, new ArrivalPattern(ArrivalPattern.Kind.EVEN, 1), 0);
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                Socket s = serverSocket.accept();
                acceptNanos.add(System.nanoTime());
                peers.add(s.getInetAddress());
                s.setTcpNoDelay(true);
                sockets.add(s);
                Thread.ofPlatform().daemon().name("test-server-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        byte[] buf = new byte[16 * 1024];
        long echoed = 0;
        long intended = 0;
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (!closing) {
                stallIfDue();
                int max = buf.length;
                if (closeAfterBytes >= 0) {
                    max = (int) Math.min(max, closeAfterBytes - echoed);
                    if (max == 0) {
                        s.shutdownOutput();
                        while (in.read(buf) >= 0) {
                            // Drain until the client closes.
                        }
                        return;
                    }
                }
                int n = in.read(buf, 0, max);
                if (n < 0) {
                    return;
                }
                if (checkSendTimes) {
                    intended = checkSendTimes(buf, n, echoed, intended, System.nanoTime());
                }
                if (flipAtByte >= echoed && flipAtByte < echoed + n && flipped.compareAndSet(false, true)) {
                    buf[(int) (flipAtByte - echoed)] ^= 0x20;
                }
                stallIfDue();
                if (answerForMillis >= 0) {
                    if (System.nanoTime() - startNanos > TimeUnit.MILLISECONDS.toNanos(answerForMillis)) {
                        continue;
                    }
                    sleepQuietly(delayMillis);
                }
                for (int off = 0; off < n; off += chunkBytes) {
                    out.write(buf, off, Math.min(chunkBytes, n - off));
                }
                echoed += n;
            }
        } catch (IOException e) {
            // The client closed: normal at the end of every run.
        }
    }

    /** Reads the intended send times (header bytes 12..19 of each 64 B message) in {@code n} bytes from stream offset {@code at}. */
    private long checkSendTimes(byte[] buf, int n, long at, long intended, long readNanos) {
        for (int i = 0; i < n; i++) {
            int offset = (int) ((at + i) % 64);
            if (offset >= 12 && offset < 20) {
                intended = (intended << 8) | (buf[i] & 0xFF);
            }
            if (offset == 19) {
                messagesChecked.incrementAndGet();
                if (readNanos - intended < 0) {
                    arrivedBeforeIntended.incrementAndGet();
                }
            }
        }
        return intended;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stallIfDue() {
        if (stallEveryMillis <= 0) {
            return;
        }
        long phaseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) % stallEveryMillis;
        if (phaseMillis < stallMillis) {
            try {
                Thread.sleep(stallMillis - phaseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Connections accepted so far. */
    int accepted() {
        return sockets.size();
    }

    /** Closes the {@code n}th connection it accepted (from 0), as a server that drops one would. */
    void closeConnection(int n) throws IOException {
        sockets.get(n).close();
    }

    @Override
    public void close() throws IOException {
        closing = true;
        serverSocket.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}

package study.echo.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two ways a blocking server on a virtual thread can move bytes: {@code Socket} streams with a
 * {@code byte[]}, or a {@code SocketChannel} in blocking mode with a direct {@code ByteBuffer} (what
 * the loom server uses). Each operation writes {@code sizeBytes} on one end of a loopback connection
 * and reads them on the other; the data is already there when the read runs, so nothing parks and
 * the difference is the path through the JDK.
 *
 * <p>What it isolates: since JDK 13 (JEP 353) socket streams are {@code sun.nio.ch.NioSocketImpl},
 * whose {@code read}/{@code write} copy through a temporary direct buffer
 * ({@code Util.getTemporaryDirectBuffer}) on every call, under the socket's locks; a channel with a
 * direct buffer hands its memory straight to the system call. {@link #baseline_copyOnly} is the pair
 * of memory copies the stream path adds, without any I/O.
 *
 * <p>The benchmark threads are virtual: the fork runs JMH's worker with {@code -Djmh.executor=VIRTUAL}
 * (JMH 1.37+), and setup refuses to run on a platform thread, so {@code -f 0} fails with a message.
 *
 * <p>Run: {@code ./bench jmh SocketStreamsVsChannel}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djmh.executor=VIRTUAL")
@Timeout(time = 60)
public class SocketStreamsVsChannelBenchmark {

    @State(Scope.Thread)
    public static class Payload {
        @Param({"64", "16384"})
        public int sizeBytes;

        byte[] outBytes;
        byte[] inBytes;
        ByteBuffer outDirect;
        ByteBuffer inDirect;

        @Setup(Level.Trial)
        public void allocate() {
            if (!Thread.currentThread().isVirtual()) {
                throw new IllegalStateException("this benchmark must run on a virtual thread: fork with"
                        + " -Djmh.executor=VIRTUAL (its @Fork does; -f 0 cannot)");
            }
            outBytes = new byte[sizeBytes];
            inBytes = new byte[sizeBytes];
            for (int i = 0; i < sizeBytes; i++) {
                outBytes[i] = (byte) (i * 31);
            }
            outDirect = ByteBuffer.allocateDirect(sizeBytes).put(outBytes).flip();
            inDirect = ByteBuffer.allocateDirect(sizeBytes);
        }
    }

    /** A loopback connection made of {@code java.net.Socket}s, so that the streams are NioSocketImpl's own. */
    @State(Scope.Thread)
    public static class Streams {
        Socket left;
        Socket right;
        OutputStream out;
        InputStream in;

        @Setup(Level.Trial)
        public void open() throws IOException {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                left = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                right = listener.accept();
            }
            left.setTcpNoDelay(true);
            right.setTcpNoDelay(true);
            out = left.getOutputStream();
            in = right.getInputStream();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            try {
                left.close();
            } finally {
                right.close();
            }
        }
    }

    @Benchmark
    public ByteBuffer baseline_copyOnly(Payload p) {
        // What NioSocketImpl does around the system calls: byte[] -> temporary direct buffer on write,
        // and direct buffer -> byte[] on read.
        p.inDirect.clear().put(p.outBytes).flip();
        p.inDirect.get(p.inBytes);
        return p.inDirect;
    }

    @Benchmark
    public byte[] socketStreams(Payload p, Streams s) throws IOException {
        s.out.write(p.outBytes);
        byte[] in = p.inBytes;
        // Every read returns at least one byte or throws, so this runs at most sizeBytes times.
        for (int off = 0; off < in.length; ) {
            int n = s.in.read(in, off, in.length - off);
            if (n < 0) {
                throw new EOFException("peer closed");
            }
            off += n;
        }
        return in;
    }

    @Benchmark
    public ByteBuffer socketChannel(Payload p, LoopbackPairState c) throws IOException {
        LoopbackPair.writeFully(c.pair.left, p.outDirect.clear());
        LoopbackPair.readFully(c.pair.right, p.inDirect.clear());
        return p.inDirect;
    }
}

package study.echo.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
import study.echo.common.SocketFamily;
import study.echo.launch.Children;
import study.echo.launch.Launch;
import study.echo.launch.NativeBuild;
import study.echo.launch.PointFailure;
import study.echo.launch.ServerProcess;
import study.echo.launch.Variant;

/**
 * One echo round trip over loopback on one connection: write a message, read the whole echo, check
 * it. The server runs in its own process, one per variant, started from the comparison's variant
 * table with its launcher and JVM options ({@link Variant}, {@link Launch}), so this JVM holds the
 * client alone and a benchmark starts the same server as {@code ./bench compare}. Sample mode, so the output carries percentiles as well as the mean.
 *
 * <p>What it isolates: the latency one message pays through each server's threading model when
 * nothing else is going on: the selector loop's select/read/write, the virtual thread's park on the
 * poller and unpark onto a carrier, the platform thread's plain blocking read. The {@code native}
 * variant (C epoll, compiled on the fly with {@code cc}) is the floor this machine sets; it fails
 * alone, with a message, where there is no C compiler. {@link #baseline_prepareAndCheck} is the
 * client's own share: building and checking the message without any I/O.
 *
 * <p>Run: {@code ./bench jmh EchoRoundTrip} or, for one variant, {@code ./bench jmh EchoRoundTrip -p server=selector-1}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Timeout(time = 60)
public class EchoRoundTripBenchmark {

    /** The message: a fixed pattern with a sequence number in front, so each echo differs from the last. */
    @State(Scope.Thread)
    public static class Message {
        @Param({"64"})
        public int sizeBytes;

        ByteBuffer out;
        ByteBuffer in;
        long sequence;

        @Setup(Level.Trial)
        public void allocate() {
            if (sizeBytes < Long.BYTES) {
                throw new IllegalArgumentException("sizeBytes must be at least " + Long.BYTES + ", got " + sizeBytes);
            }
            out = ByteBuffer.allocateDirect(sizeBytes);
            in = ByteBuffer.allocateDirect(sizeBytes);
            for (int i = 0; i < sizeBytes; i++) {
                out.put(i, (byte) (i * 31));
            }
        }

        ByteBuffer next() {
            out.clear();
            out.putLong(0, ++sequence);
            in.clear();
            return out;
        }

        /** Every echoed byte must be the one sent; a benchmark that measured a broken echo would be worthless. */
        ByteBuffer check() {
            out.clear();
            in.flip();
            if (in.mismatch(out) >= 0) {
                throw new IllegalStateException("echo differs from the message sent (sequence " + sequence + ")");
            }
            return in;
        }
    }

    /** The server under test, in its own process, and this JVM's one connection to it. */
    @State(Scope.Thread)
    public static class Connection {
        /** Names in the comparison's variant table; selector-N is left out, since one connection uses one loop. */
        @Param({"selector-1", "loom-virtual", "loom-platform", Variant.NATIVE})
        public String server;

        ServerProcess process;
        SocketChannel channel;

        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            process = startServer(Variant.named(server, 1));
            InetSocketAddress address = process.address();
            channel = SocketChannel.open(SocketFamily.of(address));
            channel.connect(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }

        /** Starts {@code variant} on a free loopback port, its log in a folder of its own, and waits until it listens. */
        private static ServerProcess startServer(Variant variant) throws IOException, InterruptedException {
            Path work = Files.createTempDirectory("echo-benchmark-");
            Path nativeBinary = null;
            if (variant.kind() == Variant.Kind.NATIVE) {
                NativeBuild build = NativeBuild.compilePacked(work);
                if (build.binary() == null) throw new IOException("the native variant cannot be built: " + build.note());
                nativeBinary = build.binary();
            }
            try {
                return ServerProcess.start(new Children(), variant.command(Launch.thisJvm(nativeBinary)), work.resolve("server.log"));
            } catch (PointFailure e) {
                throw new IOException(variant.name() + ": " + e.getMessage() + " (log in " + work + ")");
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            try {
                if (channel != null) {
                    channel.close();
                }
            } finally {
                if (process != null) {
                    process.close();
                }
            }
        }
    }

    @Benchmark
    public ByteBuffer baseline_prepareAndCheck(Message message) {
        ByteBuffer out = message.next();
        message.in.put(out);
        return message.check();
    }

    @Benchmark
    public ByteBuffer roundTrip(Message message, Connection connection) throws IOException {
        LoopbackPair.writeFully(connection.channel, message.next());
        LoopbackPair.readFully(connection.channel, message.in);
        return message.check();
    }
}

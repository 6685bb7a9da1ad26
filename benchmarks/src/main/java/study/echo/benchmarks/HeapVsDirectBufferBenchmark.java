package study.echo.benchmarks;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A channel write and the matching read over a loopback connection, with heap buffers against
 * direct buffers. The data is already there when the read runs, so nothing waits.
 *
 * <p>What it isolates: {@code sun.nio.ch.IOUtil} hands a direct buffer's memory straight to the
 * system call, but substitutes a temporary direct buffer for a heap one and copies through it, once
 * on write and once on read. Both servers read into direct buffers for this reason (the selector loop
 * one per loop, the loom server one per connection). {@link #baseline_copyOnly} is those two copies
 * alone, without I/O: {@code heap - direct} should come out close to it.
 *
 * <p>Run: {@code ./bench jmh HeapVsDirectBuffer}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Timeout(time = 60)
public class HeapVsDirectBufferBenchmark {

    @State(Scope.Thread)
    public static class Buffers {
        @Param({"64", "16384"})
        public int sizeBytes;

        ByteBuffer heapOut;
        ByteBuffer heapIn;
        ByteBuffer directOut;
        ByteBuffer directIn;

        @Setup(Level.Trial)
        public void allocate() {
            heapOut = ByteBuffer.allocate(sizeBytes);
            heapIn = ByteBuffer.allocate(sizeBytes);
            directOut = ByteBuffer.allocateDirect(sizeBytes);
            directIn = ByteBuffer.allocateDirect(sizeBytes);
            for (int i = 0; i < sizeBytes; i++) {
                heapOut.put(i, (byte) (i * 31));
                directOut.put(i, (byte) (i * 31));
            }
        }
    }

    @Benchmark
    public ByteBuffer baseline_copyOnly(Buffers b) {
        // The JDK's substitution for a heap buffer: heap -> temporary direct on write, direct -> heap on read.
        b.directIn.clear().put(b.heapOut.clear()).flip();
        return b.heapIn.clear().put(b.directIn);
    }

    @Benchmark
    public ByteBuffer heap(Buffers b, LoopbackPairState s) throws IOException {
        return exchange(s.pair, b.heapOut, b.heapIn);
    }

    @Benchmark
    public ByteBuffer direct(Buffers b, LoopbackPairState s) throws IOException {
        return exchange(s.pair, b.directOut, b.directIn);
    }

    private static ByteBuffer exchange(LoopbackPair pair, ByteBuffer out, ByteBuffer in) throws IOException {
        LoopbackPair.writeFully(pair.left, out.clear());
        LoopbackPair.readFully(pair.right, in.clear());
        return in;
    }
}

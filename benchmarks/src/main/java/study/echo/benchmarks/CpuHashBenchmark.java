package study.echo.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import study.echo.common.work.CpuHash;

/**
 * The cost of one iteration of {@link CpuHash}, the CPU work every server does per request for
 * {@code --work cpu:D}: the calibration turns D into iterations with this cost, measured at start-up.
 *
 * <p>What it isolates: each iteration is one byte read, one xor and one 64-bit multiply that depends on
 * the one before, so the cost per iteration should be the multiply's latency, whatever the request's
 * size and whether its buffer is direct (as the servers' are) or on the heap. {@link #hash} runs
 * {@link #ITERATIONS} iterations per call and reports per iteration; {@link #baseline_oneByte} reads
 * one byte of the same request, the price of the call and the buffer access without the chain. Both
 * return their result, so the JIT cannot drop the work.
 *
 * <p>Run: {@code ./bench jmh CpuHash}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Timeout(time = 60)
@State(Scope.Thread)
public class CpuHashBenchmark {
    /** About 20 us of work here: long enough that the call's own cost vanishes in the per-iteration figure. */
    static final int ITERATIONS = 10_000;

    @Param({"64", "4096"})
    int requestBytes;

    @Param({"direct", "heap"})
    String buffer;

    ByteBuffer request;

    @Setup
    public void fill() {
        request = buffer.equals("direct") ? ByteBuffer.allocateDirect(requestBytes) : ByteBuffer.allocate(requestBytes);
        for (int i = 0; i < requestBytes; i++) {
            request.put(i, (byte) (i * 31));
        }
    }

    @Benchmark
    public byte baseline_oneByte() {
        return request.get(requestBytes - 1);
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS)
    public long hash() {
        return CpuHash.hash(request, 0, requestBytes, ITERATIONS);
    }
}

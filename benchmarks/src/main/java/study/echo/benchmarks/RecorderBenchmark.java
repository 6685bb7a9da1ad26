package study.echo.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The load client's own measurement cost, paid once per message and once per second:
 * {@code Recorder.recordValue} (one Recorder per I/O thread, 3 significant digits, as the client
 * keeps) and {@code Recorder.getIntervalHistogram} with a recycled histogram (the per-second swap).
 *
 * <p>What it isolates: whether recording could distort what the client measures. Compare
 * {@link #recordValue} with {@link EchoRoundTripBenchmark}'s round trip, tens of microseconds on
 * loopback: recording should be a fraction of a percent of it. {@link #baseline_nextValue} is fetching
 * the value alone; the values are varied latencies, so the histogram index is not the same every time.
 * The interval histogram's cost is clearing the recycled histogram's counts, so it depends on the
 * trackable range, not on how many values were recorded.
 *
 * <p>Run: {@code ./bench jmh Recorder}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Timeout(time = 60)
public class RecorderBenchmark {
    /** One minute in nanoseconds: any latency a run can see. */
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int SIGNIFICANT_DIGITS = 3;

    /** Latencies from about 10 us to about 10 ms, log-uniform, from a fixed seed. */
    @State(Scope.Thread)
    public static class Latencies {
        static final int COUNT = 4096;
        final long[] nanos = new long[COUNT];
        int next;

        @Setup(Level.Trial)
        public void generate() {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < COUNT; i++) {
                nanos[i] = (long) Math.pow(10, 4 + 3 * random.nextDouble());
            }
        }

        long next() {
            return nanos[next++ & (COUNT - 1)];
        }
    }

    @State(Scope.Thread)
    public static class Recording {
        final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        Histogram recycled;
    }

    @Benchmark
    public long baseline_nextValue(Latencies latencies) {
        return latencies.next();
    }

    @Benchmark
    public long recordValue(Recording recording, Latencies latencies) {
        long value = latencies.next();
        recording.recorder.recordValue(value);
        return value;
    }

    @Benchmark
    public Histogram intervalHistogram(Recording recording, Latencies latencies) {
        recording.recorder.recordValue(latencies.next());
        recording.recycled = recording.recorder.getIntervalHistogram(recording.recycled);
        return recording.recycled;
    }
}

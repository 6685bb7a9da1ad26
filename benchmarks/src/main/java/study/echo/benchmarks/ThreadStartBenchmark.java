package study.echo.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Creating, starting and joining a thread that runs a trivial task: a virtual thread against a
 * platform thread. The loom server pays this once per accepted connection.
 *
 * <p>What it isolates: a platform thread costs an OS thread (clone, a stack mapping, kernel
 * scheduling) for each start; a virtual thread is a heap object submitted to the carrier pool. The
 * join is included because a task nobody waits for is not measured at all.
 * {@link #baseline_runInline} runs the same task on the calling thread: the difference is the price
 * of the thread.
 *
 * <p>Run: {@code ./bench jmh ThreadStart}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Timeout(time = 60)
public class ThreadStartBenchmark {
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    /** The task: counts its runs, so every run has an effect the benchmark returns. */
    @State(Scope.Thread)
    public static class Task implements Runnable {
        final Thread.Builder virtual = Thread.ofVirtual().name("bench-virtual");
        final Thread.Builder platform = Thread.ofPlatform().name("bench-platform");
        int runs;

        @Override
        public void run() {
            runs++;
        }

        /** The join makes the task's write to {@code runs} visible here. */
        int startAndJoin(Thread.Builder builder) throws InterruptedException {
            Thread thread = builder.start(this);
            if (!thread.join(JOIN_TIMEOUT)) {
                throw new IllegalStateException("a trivial task did not finish within " + JOIN_TIMEOUT);
            }
            return runs;
        }
    }

    @Benchmark
    public int baseline_runInline(Task task) {
        task.run();
        return task.runs;
    }

    @Benchmark
    public int virtualThread(Task task) throws InterruptedException {
        return task.startAndJoin(task.virtual);
    }

    @Benchmark
    public int platformThread(Task task) throws InterruptedException {
        return task.startAndJoin(task.platform);
    }
}

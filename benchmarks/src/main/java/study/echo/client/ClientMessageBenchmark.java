package study.echo.client;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
 * The load client's own work per 64 B message, outside the system calls: building the message into
 * the write buffer ({@link MessageFormat#fill}), checking every byte of its echo
 * ({@link MessageFormat#matches}), reading the clock once and recording latency and service time
 * ({@code LatencyRecorders}, the per-thread pair of histograms under one phaser, entered once per pass
 * of the I/O loop). {@link #message} is all of it, as {@code Connection} does it for each echo of the
 * closed loop, with a pass of {@value #ECHOES_PER_PASS} echoes, about what one pass of the closed loop
 * serves at 100 connections.
 *
 * <p>What it isolates: how much of the client's CPU per message is its own code, as opposed to the
 * kernel's TCP work and the JDK's selector and JNI calls. Set it beside {@code tools/client-ceiling}'s
 * CPU per message (about 10 us on loopback, mostly system time). {@link #baseline_nextSeq} is the
 * message's bookkeeping alone.
 *
 * <p>It lives in the client's package because the message format is the client's own and not public.
 * Run: {@code ./bench jmh ClientMessage}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Timeout(time = 60)
public class ClientMessageBenchmark {
    static final int SIZE_BYTES = 64;
    static final int CONNECTION_ID = 17;
    static final int ECHOES_PER_PASS = 32;

    @State(Scope.Thread)
    public static class Message {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        /** As the closed loop has them: service time is latency, so one histogram is recorded. */
        final LatencyRecorders recorders = new LatencyRecorders(true);
        long seq;
        long intendedNanos;

        @Setup(Level.Trial)
        public void fill() {
            intendedNanos = System.nanoTime();
            MessageFormat.fill(buffer.clear(), CONNECTION_ID, seq, intendedNanos, 0, SIZE_BYTES);
        }

        void endPassEvery(long seq) {
            if (seq % ECHOES_PER_PASS == 0) {
                recorders.endBatch();
            }
        }

        /** A new sequence number each time, so that neither the header nor the payload repeats. */
        long nextSeq() {
            return ++seq;
        }
    }

    @Benchmark
    public long baseline_nextSeq(Message m) {
        return m.nextSeq();
    }

    @Benchmark
    public ByteBuffer fill(Message m) {
        MessageFormat.fill(m.buffer.clear(), CONNECTION_ID, m.nextSeq(), m.intendedNanos, 0, SIZE_BYTES);
        return m.buffer;
    }

    /** The message in the buffer was filled once, so this compares against the same message each time. */
    @Benchmark
    public boolean matches(Message m) {
        return MessageFormat.matches(m.buffer, 0, CONNECTION_ID, m.seq, m.intendedNanos, 0, SIZE_BYTES);
    }

    @Benchmark
    public long record(Message m) {
        long seq = m.nextSeq();
        long latencyNanos = 20_000 + (seq & 0xFFFF);
        m.recorders.record(latencyNanos, latencyNanos);
        m.endPassEvery(seq);
        return latencyNanos;
    }

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Fill, clock read, check and record: the client's own work for one message of the closed loop. */
    @Benchmark
    public boolean message(Message m) {
        long seq = m.nextSeq();
        MessageFormat.fill(m.buffer.clear(), CONNECTION_ID, seq, m.intendedNanos, 0, SIZE_BYTES);
        long now = System.nanoTime();
        boolean ok = MessageFormat.matches(m.buffer, 0, CONNECTION_ID, seq, m.intendedNanos, 0, SIZE_BYTES);
        m.recorders.record(now - m.intendedNanos, now - m.intendedNanos);
        m.endPassEvery(seq);
        return ok;
    }
}

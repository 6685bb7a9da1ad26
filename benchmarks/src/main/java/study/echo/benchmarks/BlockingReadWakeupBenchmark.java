package study.echo.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
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
 * What waiting for a message costs: one byte goes over a loopback pair to a responder that is
 * blocked waiting for it, and comes back. The benchmark thread's side is the same in every case;
 * only the responder's way of waiting differs:
 * <ul>
 *   <li>{@code virtual-blocking}: a virtual thread in a blocking {@code SocketChannel.read}. The JDK
 *       finds no data, registers the socket with its poller and parks the virtual thread, freeing the
 *       carrier; when the byte arrives the poller unparks it and it is scheduled onto a carrier again.
 *       This is what every read in the loom server pays.</li>
 *   <li>{@code selector-wakeup}: a platform thread in {@code Selector.select()}, woken by epoll, then
 *       a non-blocking read and write. This is what the selector server pays per wake-up.</li>
 *   <li>{@code platform-blocking}: a platform thread blocked in the kernel's {@code read}, the
 *       classic thread-per-connection server.</li>
 * </ul>
 * {@link #baseline_noWaiting} does the same four socket calls on one thread, where no read ever
 * waits: the difference to it is the price of waiting and waking up.
 *
 * <p>Run: {@code ./bench jmh BlockingReadWakeup}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Timeout(time = 60)
public class BlockingReadWakeupBenchmark {
    static final Duration RESPONDER_STOP_TIMEOUT = Duration.ofSeconds(5);

    @State(Scope.Thread)
    public static class Responder {
        @Param({"virtual-blocking", "selector-wakeup", "platform-blocking"})
        public String responder;

        LoopbackPair pair;
        Selector selector;
        Thread thread;
        final ByteBuffer ping = ByteBuffer.allocateDirect(1);
        final ByteBuffer pong = ByteBuffer.allocateDirect(1);
        byte counter;

        @Setup(Level.Trial)
        public void start() throws IOException {
            pair = LoopbackPair.open();
            thread = switch (responder) {
                case "virtual-blocking" -> Thread.ofVirtual().name("responder").start(this::blockingEcho);
                case "platform-blocking" -> Thread.ofPlatform().daemon().name("responder").start(this::blockingEcho);
                case "selector-wakeup" -> {
                    selector = Selector.open();
                    pair.right.configureBlocking(false);
                    pair.right.register(selector, SelectionKey.OP_READ);
                    yield Thread.ofPlatform().daemon().name("responder").start(this::selectorEcho);
                }
                default -> throw new IllegalArgumentException("unknown responder '" + responder + "'");
            };
        }

        /** Runs until tear-down closes the pair: each pass answers one ping. */
        private void blockingEcho() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1);
            try {
                while (pair.right.read(buffer.clear()) > 0) {
                    LoopbackPair.writeFully(pair.right, buffer.flip());
                }
            } catch (ClosedChannelException expected) {
                // Tear-down closed the pair.
            } catch (IOException e) {
                throw new IllegalStateException("responder failed", e);
            }
        }

        /** Runs until tear-down closes the selector: each pass answers what one wake-up brought. */
        private void selectorEcho() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1);
            SocketChannel channel = pair.right;
            try {
                while (selector.isOpen()) {
                    selector.select();
                    selector.selectedKeys().clear();
                    int read;
                    while ((read = channel.read(buffer.clear())) > 0) {
                        // The socket buffer is empty and one byte is in flight: the write never comes up short.
                        channel.write(buffer.flip());
                    }
                    if (read < 0) {
                        return;
                    }
                }
            } catch (ClosedSelectorException | ClosedChannelException expected) {
                // Tear-down closed the selector or the pair.
            } catch (IOException e) {
                throw new IllegalStateException("responder failed", e);
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            pair.close();
            if (selector != null) {
                selector.close();
            }
            if (!thread.join(RESPONDER_STOP_TIMEOUT)) {
                throw new IllegalStateException("responder did not stop within " + RESPONDER_STOP_TIMEOUT);
            }
        }
    }

    /** The baseline's byte, apart from {@link Responder} so that the baseline runs once, with no responder. */
    @State(Scope.Thread)
    public static class OneByte {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(1);
        byte counter;
    }

    /** Loopback hands the byte to the peer's receive queue within the write call, so neither read waits. */
    @Benchmark
    public byte baseline_noWaiting(OneByte b, LoopbackPairState s) throws IOException {
        ByteBuffer buffer = b.buffer;
        LoopbackPair.writeFully(s.pair.left, buffer.clear().put(0, ++b.counter));
        LoopbackPair.readFully(s.pair.right, buffer.clear());
        LoopbackPair.writeFully(s.pair.right, buffer.flip());
        LoopbackPair.readFully(s.pair.left, buffer.clear());
        return buffer.get(0);
    }

    @Benchmark
    public byte pingPong(Responder r) throws IOException {
        LoopbackPair.writeFully(r.pair.left, r.ping.clear().put(0, ++r.counter));
        LoopbackPair.readFully(r.pair.left, r.pong.clear());
        byte echoed = r.pong.get(0);
        if (echoed != r.counter) {
            throw new IllegalStateException("responder answered " + echoed + " to ping " + r.counter);
        }
        return echoed;
    }
}

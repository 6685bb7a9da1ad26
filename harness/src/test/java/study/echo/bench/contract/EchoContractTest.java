package study.echo.bench.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static study.echo.bench.contract.Peers.connect;
import static study.echo.bench.contract.Peers.patternByte;
import static study.echo.bench.contract.Peers.randomBytes;
import static study.echo.bench.contract.Peers.roundTrip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import study.echo.bench.compare.measure.ProcStats;
import study.echo.launch.Children;
import study.echo.common.work.CpuHash;
import study.echo.common.work.WorkSpec;
import study.echo.launch.JdkSupport;
import study.echo.launch.Launch;
import study.echo.launch.NativeBuild;
import study.echo.launch.PointFailure;
import study.echo.launch.ServerProcess;
import study.echo.launch.Variant;

/**
 * The echo contract every server variant must meet, written once and run over every variant of the
 * variant table ({@link Variant#standard}), as Netty's testsuite runs {@code SocketEchoTest} over
 * every transport: a variant added to the table is under contract with no code here. Each variant's
 * server runs in its own process, started by the launcher the comparison uses, with its JVM options;
 * the native ceiling is compiled from the source the launch module packs, and skipped, visibly, where
 * no C compiler is found. With {@code --request-size} and each kind of {@code --work}, the same suite
 * checks the requests: each handled once, echoed byte-exact, and tallied in the shutdown line.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("variants")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EchoContractTest {
    /** Two loops for selector-N whatever the machine, so that dealing connections over loops is under test. */
    private static final int LOOPS = 2;
    private static final NativeBuild NATIVE_BUILD = compileNative();
    private static final Launch LAUNCH = Launch.thisJvm(NATIVE_BUILD.binary());
    /** Requests of the work tests: smaller than a read, so that several share one. */
    private static final int REQUEST_BYTES = 64;
    /** Given, not calibrated, so that every variant does the same work and the checksum is known here. */
    private static final long CPU_ITERATIONS = 1000;

    /** One variant's server at a time: the class's invocations, one per variant, run one after the other. */
    private static Children children;
    private static Path logs;
    private static ServerProcess server;

    private final Variant variant;

    EchoContractTest(Variant variant) {
        this.variant = variant;
    }

    static Stream<Arguments> variants() {
        return Variant.standard(LOOPS).stream().map(v -> Arguments.of(Named.of(v.name(), v)));
    }

    private static NativeBuild compileNative() {
        try {
            return NativeBuild.compilePacked(Files.createTempDirectory("echo-contract-native-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeParameterizedClassInvocation
    static void startServer(Variant variant) throws Exception {
        server = null;
        assumeTrue(variant.kind() != Variant.Kind.NATIVE || NATIVE_BUILD.binary() != null,
                "native server not built: " + NATIVE_BUILD.note());
        // A tuning row this JDK does not read (loom-direct-register on 22+) would only retest loom-virtual.
        Optional<String> unsupported = JdkSupport.unsupported(variant.jvmOptions(), Runtime.version().feature());
        assumeTrue(unsupported.isEmpty(), () -> "not supported by this JDK: " + unsupported.orElse(""));
        children = new Children();
        logs = Files.createTempDirectory("echo-contract-" + variant.name() + "-");
        server = start(variant, byteStream(variant), 0);
    }

    /**
     * The options under which a variant serves the byte-stream contract. An offloading variant hands off
     * requests, so it serves the stream as 1-byte requests: every read goes through its executor and
     * back, under every byte-stream test.
     */
    private static List<String> byteStream(Variant variant) {
        return variant.offloads() ? List.of("--request-size", "1") : List.of();
    }

    /** This variant with {@code extraArgs}; without requests among them, under the byte-stream options. */
    private ServerProcess start(List<String> extraArgs, int fileLimit) throws Exception {
        if (!extraArgs.contains("--request-size")) {
            List<String> all = new ArrayList<>(byteStream(variant));
            all.addAll(extraArgs);
            return start(variant, all, fileLimit);
        }
        return start(variant, extraArgs, fileLimit);
    }

    /**
     * Starts this variant with {@code extraArgs} and waits until it listens.
     *
     * @param fileLimit when positive, the server runs with this hard and soft limit on open files
     *                  (through the shell's {@code ulimit}, since the JVM raises the soft limit itself)
     */
    private static ServerProcess start(Variant variant, List<String> extraArgs, int fileLimit) throws Exception {
        List<String> command = new ArrayList<>();
        if (fileLimit > 0) command.addAll(List.of("/bin/sh", "-c", "ulimit -n " + fileLimit + " && exec \"$@\"", "sh"));
        command.addAll(variant.command(LAUNCH, extraArgs));
        Path log = Files.createTempFile(logs, "server-", ".log");
        try {
            return ServerProcess.start(children, command, log);
        } catch (PointFailure e) {
            throw new AssertionError(variant.name() + " did not start: " + e.getMessage() + "; log:\n" + Files.readString(log));
        }
    }

    /** What the server wrote on stdout and stderr: its log, less the command line the log starts with. */
    private static String output(ServerProcess process) throws IOException {
        String log = Files.readString(process.log(), StandardCharsets.UTF_8);
        return log.substring(log.indexOf('\n') + 1);
    }

    @AfterParameterizedClassInvocation
    static void stopServerCleanly() throws Exception {
        if (server == null) {
            return; // skipped
        }
        server.terminate();
        assertEquals(0, server.awaitExit(Duration.ofSeconds(10)), "exit status after SIGTERM");
        String stderr = output(server).replace(server.stdoutLines().get(0), "");
        assertFalse(stderr.contains("WARNING") || stderr.contains("Exception"),
                "resets, early closes and shutdown are normal traffic, not warnings; stderr was:\n" + stderr);
        assertEquals(List.of("listening on 127.0.0.1:" + server.port()), server.stdoutLines(),
                "stdout is exactly one line");
        children.destroyAll(ServerProcess.STOP_GRACE);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 2, 100, 4096, 65_537, 1 << 20, 8 << 20})
    void echoesEveryByteInOrderWhateverTheChunking(int sizeBytes) throws Exception {
        Random random = new Random(sizeBytes);
        byte[] sent = randomBytes(random, sizeBytes);
        try (Socket socket = connect(server.port());
                ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writing = writer.submit(() -> {
                Peers.writeChunked(socket, sent, new Random(sizeBytes + 1));
                socket.shutdownOutput();
                return null;
            });
            byte[] echoed = Peers.readExactly(socket, sizeBytes, random);
            writing.get(60, TimeUnit.SECONDS);
            assertArrayEquals(sent, echoed);
            Peers.assertClosedByServer(socket);
        }
    }

    @Test
    void servesAThousandConcurrentConnections() throws Exception {
        int connections = 1000;
        List<Socket> sockets = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                sockets.add(connect(server.port()));
            }
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Socket socket = sockets.get(i);
                Random random = new Random(i);
                done.add(clients.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        roundTrip(socket, randomBytes(random, 1 + random.nextInt(2000)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            Peers.closeAll(sockets);
        }
    }

    /**
     * A client that writes 64 MiB and reads nothing must cost the server a bounded amount of memory and
     * must not delay anyone else; once it reads, every byte comes back.
     */
    @Test
    void aClientThatDoesNotReadIsHeldBackWithoutLosingAByte() throws Exception {
        warmUp();
        holdsBackAClientThatDoesNotRead(server, 64L << 20);
    }

    /**
     * The same with requests, each waiting (the C server, which has no waits: working) before its echo:
     * the server holds one buffer and the requests it handles, not what the client keeps sending, and
     * every request comes back, handled once.
     */
    @Test
    void withRequestsAndAWaitAClientThatDoesNotReadIsHeldBackWithoutLosingARequest() throws Exception {
        int requestBytes = 4096;
        String kind = variant.handlesWaits() ? "wait:1ms" : "cpu:10us";
        try (ServerProcess framed = start(workArgs(kind, requestBytes, variant.handlesWaits() ? 0 : CPU_ITERATIONS), 0)) {
            long warmUpBytes = 1 << 20;
            try (Socket socket = connect(framed.port())) {
                roundTrip(socket, randomBytes(new Random(12), (int) warmUpBytes));
            }
            long totalBytes = 8L << 20;
            holdsBackAClientThatDoesNotRead(framed, totalBytes);
            framed.terminate();
            assertEquals(0, framed.awaitExit(Duration.ofSeconds(10)), "exit status after SIGTERM");
            long requests = (warmUpBytes + totalBytes + 4096) / requestBytes;
            String counted = "work " + kind + ": " + requests + " requests handled";
            assertTrue(output(framed).lines().anyMatch(line -> line.startsWith(counted)),
                    "expected '" + counted + "' on stderr; output was:\n" + output(framed));
        }
    }

    /** Writes {@code totalBytes} to {@code target} without reading, checks what the server holds, then reads it all back. */
    private static void holdsBackAClientThatDoesNotRead(ServerProcess target, long totalBytes) throws Exception {
        long rssBeforeBytes = ProcStats.light(target.pid()).rssKib() * 1024;

        // Small socket buffers, so the kernel does not absorb the stream and the server meets backpressure.
        try (Socket hog = connect(target.port(), 64 << 10);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicLong writtenBytes = new AtomicLong();
            Future<?> writing = threads.submit(() -> {
                writePattern(hog.getOutputStream(), totalBytes, writtenBytes);
                hog.shutdownOutput();
                return null;
            });
            awaitNoProgress(writtenBytes, Duration.ofSeconds(1), Duration.ofSeconds(60));
            assertTrue(writtenBytes.get() < totalBytes,
                    "the server kept reading from a client that does not read: " + writtenBytes.get() + " bytes taken");
            long growthBytes = ProcStats.light(target.pid()).rssKib() * 1024 - rssBeforeBytes;
            assertTrue(growthBytes < 24L << 20,
                    "server RSS grew by " + (growthBytes >> 20) + " MiB while holding back one client");

            try (Socket other = connect(target.port())) {
                roundTrip(other, randomBytes(new Random(7), 4096));
            }

            Future<Long> reading = threads.submit(() -> verifyPattern(hog.getInputStream(), totalBytes));
            assertEquals(totalBytes, reading.get(120, TimeUnit.SECONDS));
            writing.get(60, TimeUnit.SECONDS);
            Peers.assertClosedByServer(hog);
        }
    }

    @Test
    void halfCloseGetsEverythingPendingBackThenTheServerCloses() throws Exception {
        byte[] sent = randomBytes(new Random(3), 4 << 20);
        try (Socket socket = connect(server.port());
                ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writing = writer.submit(() -> {
                socket.getOutputStream().write(sent);
                socket.shutdownOutput();
                return null;
            });
            // Read nothing until the client has half-closed, so the server still holds output then.
            writing.get(60, TimeUnit.SECONDS);
            assertArrayEquals(sent, socket.getInputStream().readNBytes(sent.length));
            assertEquals(-1, socket.getInputStream().read(), "server closes after sending everything back");
        }
    }

    @Test
    void resetsInTheMiddleOfAStreamHurtNoOtherConnection() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (Socket bystander = connect(server.port());
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> steady = threads.submit(() -> {
                Random random = new Random(11);
                int rounds = 0;
                while (!stop.get() && rounds < 1_000_000) {
                    roundTrip(bystander, randomBytes(random, 1 + random.nextInt(8192)));
                    rounds++;
                }
                return rounds;
            });
            Random random = new Random(5);
            for (int i = 0; i < 60; i++) {
                Socket victim = connect(server.port(), i % 2 == 0 ? 16 << 10 : 0);
                byte[] data = randomBytes(random, random.nextInt(512 << 10));
                if (i % 3 == 0) {
                    // Read part of the echo, so the reset lands in the middle of the returning stream.
                    Future<?> w = threads.submit(() -> {
                        victim.getOutputStream().write(data);
                        return null;
                    });
                    victim.getInputStream().readNBytes(Math.min(data.length, 1000));
                    Peers.reset(victim);
                    try {
                        w.get(30, TimeUnit.SECONDS);
                    } catch (Exception writeFailedOnReset) {
                        // Expected: the writer's own socket was reset.
                    }
                } else {
                    // Reset with bytes in flight and, for the small-buffer half, output pending on the server.
                    victim.getOutputStream().write(data, 0, Math.min(data.length, 32 << 10));
                    Peers.reset(victim);
                }
            }
            stop.set(true);
            assertTrue(steady.get(60, TimeUnit.SECONDS) > 0, "the bystander kept being served");
            roundTrip(bystander, randomBytes(random, 100_000));
            try (Socket after = connect(server.port())) {
                roundTrip(after, randomBytes(random, 1000));
            }
        }
        assertTrue(server.isAlive());
    }

    @Test
    void twoThousandIdleConnectionsDoNotSlowDownANewClient() throws Exception {
        long baselineMedianNanos = medianRoundTripNanos();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                idle.add(connect(server.port()));
            }
            // The last idle connection is accepted and registered before we measure.
            roundTrip(idle.get(idle.size() - 1), new byte[] {1});
            long withIdleMedianNanos = medianRoundTripNanos();
            // Generous on purpose: this catches a server that cannot serve or that scans every
            // connection per message, not a few microseconds of noise on a shared machine.
            long limitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), 20 * baselineMedianNanos);
            assertTrue(withIdleMedianNanos < limitNanos, "median round trip " + withIdleMedianNanos / 1000
                    + " us with 2,000 idle connections, against " + baselineMedianNanos / 1000 + " us without");
        } finally {
            Peers.closeAll(idle);
        }
    }

    @Test
    void shutsDownWithinFiveSecondsWithThousandsOfConnectionsOpen() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (ServerProcess doomed = start(List.of(), 0)) {
            for (int i = 0; i < 2000; i++) {
                sockets.add(connect(doomed.port()));
            }
            // Some connections are mid-stream, with output pending on the server.
            for (int i = 0; i < 20; i++) {
                sockets.get(i).getOutputStream().write(new byte[64 << 10]);
            }
            roundTrip(sockets.get(sockets.size() - 1), new byte[] {42});

            long signalledNanos = System.nanoTime();
            doomed.terminate();
            Integer status = doomed.awaitExit(Duration.ofSeconds(5));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledNanos);
            assertNotNull(status, "still running 5 s after SIGTERM");
            assertEquals(0, status, "exit status after SIGTERM");
            assertTrue(tookMillis <= 5000, "took " + tookMillis + " ms");
            for (Socket socket : sockets.subList(sockets.size() - 5, sockets.size())) {
                Peers.assertClosedByServer(socket);
            }
        } finally {
            Peers.closeAll(sockets);
        }
    }

    /**
     * With the file-descriptor limit reached, accept fails with EMFILE while the connection stays in
     * the backlog. The accept loop must back off rather than spin, and recover once descriptors free up.
     */
    @Test
    void runningOutOfFileDescriptorsDoesNotSpinAndRecovers() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (ServerProcess starved = start(List.of(), 256)) {
            for (int i = 0; i < 400; i++) {
                sockets.add(connect(starved.port()));
            }
            Thread.sleep(1000);
            double cpuBeforeSeconds = ProcStats.cpuSeconds(starved.pid());
            Thread.sleep(3000);
            long cpuMillis = Math.round((ProcStats.cpuSeconds(starved.pid()) - cpuBeforeSeconds) * 1000);
            assertTrue(cpuMillis < 1500, "server used " + cpuMillis + " ms of CPU in 3 s with accept failing");

            Peers.closeAll(sockets);
            sockets.clear();
            try (Socket fresh = connect(starved.port())) {
                roundTrip(fresh, randomBytes(new Random(9), 1000));
            }
            starved.terminate();
            assertEquals(0, starved.awaitExit(Duration.ofSeconds(10)));
            assertTrue(output(starved).contains("accept failed"), "the back-off leaves a trace");
        } finally {
            Peers.closeAll(sockets);
        }
    }

    @Test
    void listensWithTheAddressFamilyOfItsHost() throws Exception {
        // /proc/net/tcp lists IPv4 sockets and tcp6 IPv6 ones, dual-stack included. Bound to 127.0.0.1,
        // the listener (and so every connection it accepts) must be IPv4, on the same kernel path as the
        // C server's sockets, not IPv4-mapped on an IPv6 socket.
        assertTrue(Peers.listensIn("/proc/net/tcp", server.port()), "an IPv4 listener in /proc/net/tcp");
        assertFalse(Peers.listensIn("/proc/net/tcp6", server.port()), "no IPv6 listener for 127.0.0.1");
        assumeTrue(Peers.hasIpv6Loopback(), "this machine has no ::1");
        try (ServerProcess v6 = start(List.of("--host", "::1"), 0);
                Socket socket = new Socket()) {
            assertTrue(Peers.listensIn("/proc/net/tcp6", v6.port()), "an IPv6 listener for ::1");
            socket.setSoTimeout(Peers.READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("::1", v6.port()), 10_000);
            roundTrip(socket, randomBytes(new Random(6), 100));
        }
    }

    /**
     * With requests, every kind of handler: a request split into 1-byte writes, many requests in one
     * write, requests straddling reads, and a request not yet complete, each on its own connection. Every
     * request comes back byte-exact, and the shutdown line counts each one once, with the checksum of
     * {@link CpuHash} over exactly those requests (for the C server too, which has its own hash).
     */
    @ParameterizedTest(name = "--work {0}")
    @ValueSource(strings = {"none", "cpu:20us", "wait:2ms", "cpu:20us+wait:1ms"})
    void handlesEveryRequestOnceAndEchoesItByteExact(String kind) throws Exception {
        WorkSpec spec = WorkSpec.parse(kind);
        assumeTrue(variant.handlesWaits() || !spec.hasWait(), variant.name() + " implements no waits: not applicable");
        RequestTally tally = new RequestTally(REQUEST_BYTES, spec.hasCpu() ? CPU_ITERATIONS : 0);
        Random random = new Random(kind.hashCode());
        try (ServerProcess framed = start(workArgs(kind, REQUEST_BYTES, tally.iterations), 0)) {
            try (Socket socket = connect(framed.port())) {
                byte[] requests = tally.connection(randomBytes(random, 2 * REQUEST_BYTES));
                for (byte b : requests) {
                    socket.getOutputStream().write(b);
                    socket.getOutputStream().flush();
                }
                assertArrayEquals(requests, socket.getInputStream().readNBytes(requests.length), "1-byte writes");
            }
            try (Socket socket = connect(framed.port())) {
                // More than one --buffer-size (8 KiB) in one write, so a read also ends inside a request.
                roundTrip(socket, tally.connection(randomBytes(random, 200 * REQUEST_BYTES)));
            }
            try (Socket socket = connect(framed.port())) {
                byte[] requests = tally.connection(randomBytes(random, 40 * REQUEST_BYTES));
                for (int offset = 0; offset < requests.length; offset += 100) {
                    socket.getOutputStream().write(requests, offset, Math.min(100, requests.length - offset));
                    Thread.sleep(1); // so that the server reads the writes apart, each ending inside a request
                }
                assertArrayEquals(requests, socket.getInputStream().readNBytes(requests.length), "writes of 100 B");
            }
            try (Socket socket = connect(framed.port())) {
                byte[] request = tally.connection(randomBytes(random, REQUEST_BYTES));
                socket.getOutputStream().write(request, 0, REQUEST_BYTES - 1);
                Thread.sleep(300);
                assertEquals(0, socket.getInputStream().available(), "an incomplete request was echoed");
                socket.getOutputStream().write(request, REQUEST_BYTES - 1, 1);
                assertArrayEquals(request, socket.getInputStream().readNBytes(REQUEST_BYTES), "completed request");
            }
            framed.terminate();
            assertEquals(0, framed.awaitExit(Duration.ofSeconds(10)), "exit status after SIGTERM");
            assertTrue(output(framed).lines().toList().contains(tally.reportLine(spec)),
                    "expected '" + tally.reportLine(spec) + "' on stderr; output was:\n" + output(framed));
        }
    }

    /** The C server's hash against {@link CpuHash}: fewer iterations than a request, and a request taken cyclically. */
    @ParameterizedTest(name = "{0}-byte requests, {1} iterations")
    @CsvSource({"7, 3", "5, 17", "64, 4096"})
    void theCpuWorkIsCpuHashWhateverTheSizes(int requestBytes, long iterations) throws Exception {
        assumeTrue(variant.kind() == Variant.Kind.NATIVE, "the Java servers call CpuHash itself; the C server has its own");
        RequestTally tally = new RequestTally(requestBytes, iterations);
        Random random = new Random(requestBytes);
        try (ServerProcess framed = start(workArgs("cpu:1us", requestBytes, iterations), 0)) {
            for (int connection = 0; connection < 3; connection++) {
                try (Socket socket = connect(framed.port())) {
                    roundTrip(socket, tally.connection(randomBytes(random, (1 + connection) * requestBytes)));
                }
            }
            framed.terminate();
            assertEquals(0, framed.awaitExit(Duration.ofSeconds(10)));
            assertTrue(output(framed).lines().toList().contains(tally.reportLine(WorkSpec.parse("cpu:1us"))),
                    "expected '" + tally.reportLine(WorkSpec.parse("cpu:1us")) + "'; output was:\n" + output(framed));
        }
    }

    /** A wait the server does not implement is refused up front, not run as something else. */
    @ParameterizedTest(name = "--work {0}")
    @ValueSource(strings = {"wait:1ms", "cpu:10us+wait:1ms"})
    void aServerWithoutWaitsRefusesAWaitInOneLine(String kind) throws Exception {
        assumeFalse(variant.handlesWaits(), variant.name() + " implements waits");
        List<String> command = variant.command(LAUNCH, List.of("--request-size", "64", "--work", kind));
        Process process = children.start(new ProcessBuilder(command).redirectErrorStream(true));
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "still running with --work " + kind);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        assertEquals(List.of("echo_server: --work '" + kind + "': not applicable: the C server implements cpu: work only"),
                output.lines().toList());
    }

    /** A connection asleep in a request's wait must not hold up the shutdown: no connection is left behind. */
    @Test
    void aRequestInALongWaitDoesNotHoldUpTheShutdown() throws Exception {
        assumeTrue(variant.handlesWaits(), variant.name() + " implements no waits");
        try (ServerProcess waiting = start(workArgs("wait:10s", REQUEST_BYTES, 0), 0);
                Socket socket = connect(waiting.port())) {
            socket.getOutputStream().write(new byte[2 * REQUEST_BYTES]);
            Thread.sleep(500);
            long signalledNanos = System.nanoTime();
            waiting.terminate();
            assertEquals(0, waiting.awaitExit(Duration.ofSeconds(8)), "exit status after SIGTERM");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledNanos);
            assertFalse(output(waiting).contains("did not close"), "a connection was left in its wait:\n" + output(waiting));
            assertTrue(tookMillis < 5000, "took " + tookMillis + " ms");
            Peers.assertClosedByServer(socket);
        }
    }

    private static List<String> workArgs(String kind, int requestBytes, long iterations) {
        List<String> args = new ArrayList<>(List.of("--request-size", String.valueOf(requestBytes), "--work", kind));
        if (iterations > 0) {
            args.addAll(List.of("--cpu-iterations", String.valueOf(iterations)));
        }
        return args;
    }

    /**
     * What a server should report for the requests sent: their count, and the sum over connections of
     * each connection's checksum, {@code checksum * 31 + CpuHash} per request in order (RequestWork's fold).
     */
    private static final class RequestTally {
        final int requestBytes;
        final long iterations;
        long requests;
        long checksum;

        RequestTally(int requestBytes, long iterations) {
            this.requestBytes = requestBytes;
            this.iterations = iterations;
        }

        /** Tallies the requests of one connection, whole requests only; returns them. */
        byte[] connection(byte[] bytes) {
            long connectionChecksum = 0;
            for (int offset = 0; offset + requestBytes <= bytes.length; offset += requestBytes) {
                if (iterations > 0) {
                    connectionChecksum = connectionChecksum * 31
                            + CpuHash.hash(java.nio.ByteBuffer.wrap(bytes), offset, requestBytes, iterations);
                }
                requests++;
            }
            checksum += connectionChecksum;
            return bytes;
        }

        String reportLine(WorkSpec spec) {
            return "work " + spec + ": " + requests + " requests handled, checksum 0x" + Long.toHexString(checksum);
        }
    }

    private void warmUp() throws Exception {
        echoesEveryByteInOrderWhateverTheChunking(8 << 20);
    }

    private long medianRoundTripNanos() throws IOException {
        long[] nanos = new long[200];
        byte[] message = randomBytes(new Random(1), 64);
        try (Socket socket = connect(server.port())) {
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                roundTrip(socket, message);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }

    private static void writePattern(OutputStream out, long totalBytes, AtomicLong writtenBytes) throws IOException {
        byte[] chunk = new byte[64 << 10];
        for (long offset = 0; offset < totalBytes; offset += chunk.length) {
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = patternByte(offset + i);
            }
            out.write(chunk);
            writtenBytes.set(offset + chunk.length);
        }
    }

    private static long verifyPattern(InputStream in, long totalBytes) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long offset = 0;
        while (offset < totalBytes) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, totalBytes - offset));
            if (n < 0) {
                fail("end of stream after " + offset + " of " + totalBytes + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != patternByte(offset + i)) {
                    fail("byte " + (offset + i) + " changed");
                }
            }
            offset += n;
        }
        return offset;
    }

    /** Waits until {@code counter} stops moving for {@code quiet}, or fails after {@code limit}. */
    private static void awaitNoProgress(AtomicLong counter, Duration quiet, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = counter.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange >= quiet.toNanos()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the client's writes never stopped within " + limit);
    }
}

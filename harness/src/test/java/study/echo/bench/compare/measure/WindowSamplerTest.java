package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import study.echo.bench.compare.results.MachineNoise;
import study.echo.bench.compare.results.ServerResources;

class WindowSamplerTest {
    /** A stand-in that scripts only the server's files: the rest of the machine is idle. */
    private abstract static class ServerOnly implements WindowSampler.Reader {
        @Override
        public MachineCpu machine() {
            return new MachineCpu(0, 0);
        }

        @Override
        public double cpuSeconds(long pid) throws IOException {
            return 0;
        }

        @Override
        public double softirqThreadsCpuSeconds() {
            return 0;
        }
    }

    /** A server whose fds show its 4 connections (above 10 of its own) at once, and whose snapshots never change. */
    private static class AllConnected extends ServerOnly {
        @Override
        public int openFds(long pid) {
            return 10 + 4;
        }

        @Override
        public ProcStats.Snapshot light(long pid) {
            return new ProcStats.Snapshot(System.nanoTime(), 1, 1, 1, 1, Map.of());
        }

        @Override
        public ProcStats.Snapshot full(long pid) {
            return light(pid);
        }
    }

    /** A server whose fds show every connection at once, and whose full snapshot fails as a bug would. */
    private static final WindowSampler.Reader BROKEN = new AllConnected() {
        @Override
        public ProcStats.Snapshot full(long pid) {
            throw new NumberFormatException("For input string: \"x\"");
        }
    };

    @Test
    @Timeout(30)
    void aFailureWhileSamplingIsReportedWithItsCauseNotAsAWindowNotSampledInFull() throws Exception {
        WindowSampler sampler = new WindowSampler(BROKEN, 4242, 99, 10, 4, Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofSeconds(1));
        Thread t = Thread.ofPlatform().start(sampler);
        t.join(20_000);
        assertFalse(t.isAlive());
        sampler.stop();
        List<String> notes = new ArrayList<>();
        ServerResources resources = sampler.resources(1000, 1, 0, notes);
        String reason = String.join("; ", notes);
        assertTrue(reason.contains("reading /proc/4242 failed: NumberFormatException: For input string: \"x\""), reason);
        assertFalse(reason.contains("not sampled in full"), reason);
        assertNull(resources.cpuS(), "no counters from a failed sampling: " + resources);
    }

    /**
     * A server with many threads takes long to snapshot in full, and the client exits right after its
     * window: the rest of the machine must be read before the server's snapshot, or the client's CPU is
     * gone and the point's noise unknown (17 of the workloads run's 176 points, all loom-platform).
     */
    @Test
    @Timeout(30)
    void theMachineIsReadBeforeTheSlowServerSnapshotWhileTheClientStillRuns() throws Exception {
        // Full snapshots: the first, the one before the disconnect, the closing one (the third).
        java.util.concurrent.atomic.AtomicInteger fullSnapshots = new java.util.concurrent.atomic.AtomicInteger();
        WindowSampler.Reader slowServer = new AllConnected() {
            @Override
            public ProcStats.Snapshot full(long pid) {
                fullSnapshots.incrementAndGet();
                return super.full(pid);
            }

            @Override
            public double cpuSeconds(long pid) throws IOException {
                // The client exits while the closing full snapshot of the server is being taken.
                if (pid == 99 && fullSnapshots.get() >= 3) throw new java.nio.file.NoSuchFileException("/proc/99/stat");
                return 0;
            }
        };
        WindowSampler sampler = new WindowSampler(slowServer, 4242, 99, 10, 4, Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofSeconds(2));
        Thread t = Thread.ofPlatform().start(sampler);
        t.join(20_000);
        assertFalse(t.isAlive());
        List<String> notes = new ArrayList<>();
        MachineNoise noise = sampler.noise(notes);
        assertEquals(List.of(), notes);
        assertEquals(0.0, noise.otherCpuPercent());
    }

    @Test
    @Timeout(30)
    void aServerWhoseProcFilesVanishSaysSo() throws Exception {
        WindowSampler.Reader gone = new ServerOnly() {
            @Override
            public int openFds(long pid) throws IOException {
                throw new java.nio.file.NoSuchFileException("/proc/" + pid + "/fd");
            }

            @Override
            public ProcStats.Snapshot light(long pid) throws IOException {
                throw new java.nio.file.NoSuchFileException("/proc/" + pid + "/status");
            }

            @Override
            public ProcStats.Snapshot full(long pid) throws IOException {
                return light(pid);
            }

        };
        WindowSampler sampler = new WindowSampler(gone, 4243, 99, 10, 4, Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(1));
        Thread t = Thread.ofPlatform().start(sampler);
        t.join(20_000);
        List<String> notes = new ArrayList<>();
        sampler.resources(1000, 1, 0, notes);
        assertTrue(String.join("; ", notes).contains("NoSuchFileException: /proc/4243/fd"), notes.toString());
    }

    private static final long CLIENT_PID = 77;

    /**
     * A server at half a core while it serves and 40 cores' worth the moment its clients leave (the
     * teardown of thousands of connections), a client at a fifth of a core, the kernel's softirq
     * threads carrying their loopback traffic at 0.15, and 0.3 of a core taken by others, 0.05 stolen:
     * the machine's counters are the sum, in USER_HZ ticks.
     */
    private static final class Scripted implements WindowSampler.Reader {
        final long t0 = System.nanoTime();
        volatile boolean tornDown;

        double elapsedS() {
            return (System.nanoTime() - t0) / 1e9;
        }

        double serverCpuS() {
            return 0.5 * elapsedS() + (tornDown ? 40 : 0);
        }

        @Override
        public int openFds(long pid) {
            return 10 + 4;
        }

        @Override
        public ProcStats.Snapshot light(long pid) {
            return new ProcStats.Snapshot(System.nanoTime(), serverCpuS(), 1, 1, 3, Map.of());
        }

        @Override
        public ProcStats.Snapshot full(long pid) {
            return new ProcStats.Snapshot(System.nanoTime(), serverCpuS(), 1, 1, 3, Map.of());
        }

        @Override
        public MachineCpu machine() {
            double busyS = serverCpuS() + 0.2 * elapsedS() + 0.15 * elapsedS() + 0.3 * elapsedS();
            return new MachineCpu(Math.round(busyS * ProcStats.CLOCK_TICKS_PER_S),
                    Math.round(0.05 * elapsedS() * ProcStats.CLOCK_TICKS_PER_S));
        }

        @Override
        public double cpuSeconds(long pid) {
            return pid == CLIENT_PID ? 0.2 * elapsedS() : 0;
        }

        @Override
        public double softirqThreadsCpuSeconds() {
            return 0.15 * elapsedS();
        }
    }

    /** Runs a 2 s window; if the sampler is still waiting 4 s later, the clients leave and the client exits. */
    private static WindowSampler sample(Scripted script) throws InterruptedException {
        WindowSampler sampler = new WindowSampler(script, 4244, CLIENT_PID, 10, 4, Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofSeconds(2));
        Thread t = Thread.ofPlatform().start(sampler);
        t.join(6_000);
        script.tornDown = true;
        sampler.stop();
        t.join(20_000);
        assertFalse(t.isAlive());
        return sampler;
    }

    @Test
    @Timeout(60)
    void theServersWindowEndsWithTheClientsSoTearingDownItsConnectionsIsNotCounted() throws Exception {
        WindowSampler sampler = sample(new Scripted());
        List<String> notes = new ArrayList<>();
        ServerResources r = sampler.resources(1000, 2, 0, notes);
        // Half a core over a 2 s window; the snapshot may come late on a busy machine, never 40 s late.
        assertTrue(r.cpuS() > 0.5 && r.cpuS() < 5, "server CPU in the window: " + r.cpuS() + " " + notes);
    }

    @Test
    @Timeout(60)
    void whatTheRestOfTheMachineTookIsItsBusyCpuLessTheServersTheClientsTheHarnesssAndTheirSoftirqThreads() throws Exception {
        WindowSampler sampler = sample(new Scripted());
        MachineNoise noise = sampler.noise(new ArrayList<>());
        assertTrue(noise.otherCpuPercent() > 25 && noise.otherCpuPercent() < 35, "other: " + noise);
        assertTrue(noise.stealCpuPercent() > 2 && noise.stealCpuPercent() < 8, "steal: " + noise);
        assertEquals(Boolean.TRUE, noise.disturbed());
    }

    /** A server above 10 fds of its own that accepts what {@code acceptedAtCall} says at each look at its fds. */
    private static AllConnected accepting(java.util.function.IntUnaryOperator acceptedAtCall) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        return new AllConnected() {
            @Override
            public int openFds(long pid) {
                return 10 + acceptedAtCall.applyAsInt(calls.getAndIncrement());
            }
        };
    }

    private static WindowSampler runToEnd(WindowSampler sampler) throws InterruptedException {
        Thread t = Thread.ofPlatform().start(sampler);
        t.join(40_000);
        assertFalse(t.isAlive(), "the sampler ends");
        return sampler;
    }

    /**
     * A poll(2) server holding thousands of idle connections accepts the rest slowly; a fixed wait gave
     * up on selector-poll at 6,270 of 10,100 and its row lost its server counters. Here one connection
     * comes every look at the fds (at least 20 ms apart): 150 take over 3 s, against a 2 s ramp timeout.
     */
    @Test
    @Timeout(60)
    void theWaitForAcceptsGoesOnWhileTheServerKeepsAccepting() throws Exception {
        WindowSampler sampler = runToEnd(new WindowSampler(accepting(call -> call), 4245, 99, 10, 150, 0,
                Duration.ofSeconds(2), Duration.ZERO, Duration.ofMillis(200), WindowSampler.WindowListener.NONE));
        List<String> notes = new ArrayList<>();
        ServerResources r = sampler.resources(1000, 0.2, 1000, notes);
        assertEquals(List.of(), notes);
        assertTrue(r.acceptS() >= 150 * 0.02, "held every connection after " + r.acceptS() + " s");
        assertEquals(0.0, r.cpuS(), "the server's counters are there");
        assertEquals("of the server holding its connections", sampler.rampOutcome());
    }

    @Test
    @Timeout(60)
    void aServerThatStopsAcceptingIsGivenUpOnAfterTheRampTimeoutWithoutANewConnection() throws Exception {
        long start = System.nanoTime();
        WindowSampler sampler = new WindowSampler(accepting(call -> Math.min(call, 5)), 4246, 99, 10, 150, 0,
                Duration.ofMillis(500), Duration.ZERO, Duration.ofMillis(200), WindowSampler.WindowListener.NONE);
        runToEnd(sampler);
        assertTrue(sampler.awaitRampEnd(Duration.ZERO));
        assertEquals("of the wait for the server's accepts ending at 5 of 150", sampler.rampOutcome());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "well before the cap of ten timeouts: 5 s");
        List<String> notes = new ArrayList<>();
        assertNull(sampler.resources(1000, 0.2, 1000, notes).cpuS());
        assertEquals(List.of("server counters missing: the server had accepted 5 of 150 connections when the wait"
                + " for them ended"), notes);
    }

    @Test
    @Timeout(60)
    void theWaitForAcceptsEndsAfterTenRampTimeoutsHoweverSlowlyTheyCome() throws Exception {
        long start = System.nanoTime();
        WindowSampler sampler = new WindowSampler(accepting(call -> call), 4247, 99, 10, 1_000_000, 0,
                Duration.ofMillis(200), Duration.ZERO, Duration.ofMillis(200), WindowSampler.WindowListener.NONE);
        assertEquals(Duration.ofSeconds(2), sampler.maxRamp());
        runToEnd(sampler);
        assertTrue(System.nanoTime() - start >= 2_000_000_000L, "not before the cap");
        List<String> notes = new ArrayList<>();
        sampler.resources(1000, 0.2, 1000, notes);
        assertTrue(notes.get(0).contains("of 1000000 connections when the wait for them ended"), notes.toString());
    }

    /**
     * The client holds idle connections first, each echoed before the next, so the server's slow accept
     * of them is the client's ramp too: no "window may include its accept ramp" for it. The active ones
     * after them still count: here 60 idle at one a look, then the 4 active at once, or one a look.
     */
    @Test
    @Timeout(60)
    void onlyTheActiveConnectionsAcceptedAfterTheIdleOnesCanBeLateForTheWindow() throws Exception {
        WindowSampler prompt = runToEnd(new WindowSampler(accepting(call -> call < 60 ? call : 64), 4248, 99, 10, 64,
                60, Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(200), WindowSampler.WindowListener.NONE));
        List<String> notes = new ArrayList<>();
        ServerResources r = prompt.resources(1000, 0.2, 0.5, notes);
        assertTrue(r.acceptS() >= 60 * 0.02, "the idle ones took " + r.acceptS() + " s");
        assertEquals(List.of(), notes);

        WindowSampler late = runToEnd(new WindowSampler(accepting(call -> call), 4249, 99, 10, 100, 60,
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(200), WindowSampler.WindowListener.NONE));
        notes.clear();
        late.resources(1000, 0.2, 0.1, notes);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("to accept every connection after the idle ones, so the measured window may"
                + " include its accept ramp"), notes.toString());
    }

    /**
     * The point's limit for the client counts from the end of the ramp, however long the server took to
     * accept: a fixed limit from the start failed selector-poll among 18,000 idle connections while the
     * client was still holding them. Here the accepts take over 1.5 s and the client 2.5 s in all.
     */
    @Test
    @Timeout(60)
    void theClientsLimitCountsFromTheEndOfTheRamp() throws Exception {
        WindowSampler sampler = new WindowSampler(accepting(call -> call), 4250, 99, 10, 75, 75,
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(200), WindowSampler.WindowListener.NONE);
        Process client = new ProcessBuilder("sleep", "2.5").start();
        Thread t = Thread.ofPlatform().start(sampler);
        try {
            // 1.5 s after a ramp of over 1.5 s; counted from the start, 1.5 s would end before the client.
            assertTrue(PointRunner.awaitClient(client, sampler, Duration.ofMillis(1500)));
            assertTrue(sampler.awaitRampEnd(Duration.ZERO));
        } finally {
            client.destroyForcibly();
            sampler.stop();
            t.join(20_000);
        }
        Process stuck = new ProcessBuilder("sleep", "30").start();
        try {
            WindowSampler held = runToEnd(new WindowSampler(new AllConnected(), 4251, 99, 10, 4, 0,
                    Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(200), WindowSampler.WindowListener.NONE));
            assertFalse(PointRunner.awaitClient(stuck, held, Duration.ofMillis(300)), "a client past its limit");
        } finally {
            stuck.destroyForcibly();
        }
    }
}

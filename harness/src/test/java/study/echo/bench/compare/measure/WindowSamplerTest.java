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
}

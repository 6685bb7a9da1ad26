package study.echo.bench.compare.measure;

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
import study.echo.bench.compare.results.ServerResources;

class WindowSamplerTest {
    /** A server whose fds show every connection at once, and whose full snapshot fails as a bug would. */
    private static final WindowSampler.Reader BROKEN = new WindowSampler.Reader() {
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
            throw new NumberFormatException("For input string: \"x\"");
        }
    };

    @Test
    @Timeout(30)
    void aFailureWhileSamplingIsReportedWithItsCauseNotAsAWindowNotSampledInFull() throws Exception {
        WindowSampler sampler = new WindowSampler(BROKEN, 4242, 10, 4, Duration.ofSeconds(5), Duration.ZERO,
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

    @Test
    @Timeout(30)
    void aServerWhoseProcFilesVanishSaysSo() throws Exception {
        WindowSampler.Reader gone = new WindowSampler.Reader() {
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
        WindowSampler sampler = new WindowSampler(gone, 4243, 10, 4, Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(1));
        Thread t = Thread.ofPlatform().start(sampler);
        t.join(20_000);
        List<String> notes = new ArrayList<>();
        sampler.resources(1000, 1, 0, notes);
        assertTrue(String.join("; ", notes).contains("NoSuchFileException: /proc/4243/fd"), notes.toString());
    }
}

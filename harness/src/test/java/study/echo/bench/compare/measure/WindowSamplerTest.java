package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
        Map<String, String> row = new HashMap<>();
        row.put("reason", "");
        sampler.fill(row, 1000, 1, 0);
        String reason = row.get("reason");
        assertTrue(reason.contains("reading /proc/4242 failed: NumberFormatException: For input string: \"x\""), reason);
        assertFalse(reason.contains("not sampled in full"), reason);
        assertFalse(row.containsKey("server_cpu_s"), "no counters from a failed sampling: " + row);
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
        Map<String, String> row = new HashMap<>();
        row.put("reason", "");
        sampler.fill(row, 1000, 1, 0);
        assertTrue(row.get("reason").contains("NoSuchFileException: /proc/4243/fd"), row.get("reason"));
    }
}

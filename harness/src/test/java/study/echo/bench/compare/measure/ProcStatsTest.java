package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcStatsTest {
    private static final String WORKER = "procstats-test";
    private static final int SLEEPS = 200;

    private static ProcStats.Snapshot at(Map<Long, long[]> switches) {
        return new ProcStats.Snapshot(0, 0, 0, 0, switches.size(), switches);
    }

    @Test
    void contextSwitchesAreDifferencedThreadByThreadSoAnEndedThreadCannotMakeThemNegative() {
        ProcStats.Snapshot before = at(Map.of(1L, new long[] {100, 10}, 2L, new long[] {5_000, 500}, 3L, new long[] {7, 0}));
        // Thread 2, with most of the switches, ended; thread 4 was born.
        ProcStats.Snapshot after = at(Map.of(1L, new long[] {130, 12}, 3L, new long[] {9, 1}, 4L, new long[] {20, 3}));
        assertArrayEquals(new long[] {30 + 2 + 20, 2 + 1 + 3}, ProcStats.ctxSwitchesBetween(before, after));
    }

    /**
     * A thread of this process that sleeps 200 times (each sleep gives up the CPU: a voluntary switch)
     * and burns 200 ms of CPU must show in what ProcStats reads back of this very process, its own
     * switches under its own thread id.
     */
    @Test
    @Timeout(60)
    void theLiveProcessShowsTheCpuAndTheSwitchesOfAThreadThatSleepsAndSpins() throws Exception {
        long pid = ProcessHandle.current().pid();
        CountDownLatch worked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProcStats.Snapshot a = ProcStats.full(pid);
        Thread worker = Thread.ofPlatform().name(WORKER).start(() -> {
            try {
                for (int i = 0; i < SLEEPS; i++) Thread.sleep(1);
                spinCpu(200_000_000L);
                worked.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(worked.await(50, TimeUnit.SECONDS), "the worker did not finish its work");
            // Read while the worker lives: an ended thread takes its switches with it.
            ProcStats.Snapshot b = ProcStats.full(pid);
            long tid = threadIdNamed(pid, WORKER);
            assertFalse(a.ctxSwitchesByThread().containsKey(tid), "the worker was born after the first snapshot");
            long[] own = b.ctxSwitchesByThread().get(tid);
            assertTrue(own != null && own[0] >= SLEEPS * 3 / 4, "voluntary switches of " + SLEEPS + " sleeps: "
                    + (own == null ? "none read" : own[0] + " (and " + own[1] + " involuntary)"));
            long[] switches = ProcStats.ctxSwitchesBetween(a, b);
            assertTrue(switches[0] >= own[0], "the process's switches include the worker's: " + switches[0]);
            double cpuSeconds = b.cpuSeconds() - a.cpuSeconds();
            assertTrue(cpuSeconds >= 0.15, "CPU over 200 ms of spinning: " + cpuSeconds + " s");
            assertTrue(b.rssKib() > 0 && b.hwmKib() >= b.rssKib(), "RSS " + b.rssKib() + " KiB, peak " + b.hwmKib());
            assertTrue(b.threads() > a.threads() - 5 && b.ctxSwitchesByThread().size() >= 2, "threads " + b.threads());
        } finally {
            release.countDown();
            worker.join(10_000);
        }
    }

    /** The kernel's id of this process's thread called {@code name} (its comm, at most 15 characters). */
    private static long threadIdNamed(long pid, String name) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                if (Files.readAllLines(t.resolve("comm")).get(0).strip().equals(name)) return Long.parseLong(t.getFileName().toString());
            }
        }
        throw new AssertionError("no thread called " + name + " in /proc/" + pid + "/task");
    }

    /** Spins until this thread has used {@code nanos} of CPU (bounded by 30 s of wall time on a busy machine). */
    private static void spinCpu(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long wallDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long x = 0;
        while (threads.getCurrentThreadCpuTime() - start < nanos && System.nanoTime() < wallDeadline) {
            for (int i = 0; i < 10_000; i++) x += i * 31L;
        }
        if (x == 42) System.out.print("");
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (what Ctrl-C's SIGINT shares its handler with) before the measured window: the client is a
 * process of its own here, since the signal handling is the thing tested. Exit 130 and one line.
 */
class SignalTest {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @Test
    void aSignalDuringTheConnectionRampExits130WithOneLine() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            // 40 connections at 4 per second: a ramp of ten seconds, the signal comes in the first.
            List<String> err = signalledRun("connecting:", "--target", server.target(), "--connections", "40",
                    "--connect-rate", "4", "--warmup", "0s", "--duration", "5s");
            assertEquals("130", err.get(0), err::toString);
            assertReason(err, "client: interrupted while opening connections; nothing to report");
        }
    }

    @Test
    void aSignalDuringTheWarmupExits130WithOneLine() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            List<String> err = signalledRun("warmup", "--target", server.target(), "--connections", "2",
                    "--warmup", "60s", "--duration", "5s");
            assertEquals("130", err.get(0), err::toString);
            assertReason(err, "client: interrupted before the measured window began; nothing to report");
        }
    }

    private static void assertReason(List<String> err, String reason) {
        List<String> others = err.subList(1, err.size()).stream()
                .filter(l -> !l.startsWith("connecting:") && !l.startsWith("warmup")).toList();
        assertEquals(List.of(reason), others, err::toString);
        assertFalse(err.toString().contains("Exception"), err::toString);
    }

    /**
     * Starts the client, waits for a stderr line starting with {@code when}, sends SIGTERM and waits for
     * the exit. Returns the exit code, then every stderr line.
     */
    private static List<String> signalledRun(String when, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-cp", System.getProperty("java.class.path"),
                ClientMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // The process ended.
            }
        });
        try {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.stream().noneMatch(l -> l.startsWith(when))) {
                String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertTrue(l != null, () -> "no '" + when + "' line within 30 s: " + seen);
                seen.add(l);
            }
            // ProcessHandle's destroy sends SIGTERM and, unlike Process.destroy, leaves stderr open to read.
            p.toHandle().destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the client exits after SIGTERM");
            reader.join(TimeUnit.SECONDS.toMillis(10));
            seen.addAll(lines);
            List<String> result = new ArrayList<>();
            result.add(Integer.toString(p.exitValue()));
            result.addAll(seen);
            return result;
        } finally {
            p.destroyForcibly();
        }
    }
}

package study.echo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CommandsTest {
    private static final Path HERE = Path.of("").toAbsolutePath();

    @Test
    @Timeout(30)
    void aHungCommandIsStoppedAtItsTimeoutInsteadOfHangingTheCaller() throws Exception {
        Children children = new Children();
        long startNanos = System.nanoTime();
        // Prints, then hangs with its stdout open: reading the output to its end first would wait 60 s.
        ProcessBuilder hung = new ProcessBuilder("sh", "-c", "echo started; exec sleep 60");
        TimeoutException e = assertThrows(TimeoutException.class, () -> Commands.run(children, hung, Duration.ofMillis(500)));
        long tookMillis = (System.nanoTime() - startNanos) / 1_000_000;
        assertTrue(tookMillis < 20_000, "took " + tookMillis + " ms for a 500 ms timeout");
        assertTrue(e.getMessage().contains("did not finish within 500 ms"), e.getMessage());
        assertTrue(ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive), "the hung command was stopped");
        assertNull(Commands.outputOf(HERE, Duration.ofMillis(500), "sleep", "60"), "a probe that hangs is a failed probe");
    }

    @Test
    @Timeout(30)
    void outputBeyondThePipeBufferIsDrainedSoTheCommandCanFinish() throws Exception {
        // 1 MiB, far beyond a pipe's 64 KiB: a command nobody reads from blocks on write and never exits.
        Commands.Result r = Commands.run(new Children(),
                new ProcessBuilder("sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x; echo; echo oops >&2; exit 3"),
                Duration.ofSeconds(20));
        assertEquals(3, r.exitCode());
        assertTrue(r.output().startsWith("x".repeat(1000)), "stdout first");
        assertTrue(r.output().strip().endsWith("oops"), "stderr merged");
        assertEquals(1_048_576 + "\noops\n".length(), r.output().length());
    }

    @Test
    void aProbeGivesTheStrippedOutputOfASuccessAndNullForAFailureOrAMissingCommand() {
        assertEquals("hello", Commands.outputOf(HERE, Duration.ofSeconds(20), "echo", "  hello  "));
        assertNull(Commands.outputOf(HERE, Duration.ofSeconds(20), "false"));
        assertNull(Commands.outputOf(HERE, Duration.ofSeconds(20), "no-such-command-echo-study"));
    }
}

package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --send-lag-detail}: printed when asked, in the open loop only, its causes adding up to its total. */
class SendLagDetailTest {
    private static final Pattern CAUSES = Pattern.compile("late causes  ([\\d,]+) sends over .* late: ([\\d,]+) after an"
            + " overslept park .*, ([\\d,]+) after a late select .*, ([\\d,]+) after a busy pass");

    @Test
    void theDetailNamesACauseForEveryLateSend() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--rate", "5000", "--connections", "10",
                    "--duration", "1s", "--warmup", "200ms", "--quiet", "--send-lag-detail");
            assertEquals(0, run.exitCode(), run::toString);
            Matcher m = CAUSES.matcher(run.out());
            assertTrue(m.find(), run::toString);
            long total = count(m.group(1));
            assertEquals(total, count(m.group(2)) + count(m.group(3)) + count(m.group(4)), run::toString);
            assertTrue(run.out().contains("  waits        "), run::toString);
            assertTrue(run.out().contains(" read right after a park"), run::toString);
            assertTrue(run.out().contains("(schedstat); the collector paused "), run::toString);
        }
    }

    @Test
    void noDetailUnlessAskedNorInTheClosedLoop() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun open = ClientRun.of("--target", server.target(), "--rate", "1000", "--connections", "2",
                    "--duration", "200ms", "--warmup", "0s", "--quiet");
            assertEquals(0, open.exitCode(), open::toString);
            assertFalse(open.out().contains("late causes"), open::toString);
            ClientRun closed = ClientRun.of("--target", server.target(), "--connections", "2",
                    "--duration", "200ms", "--warmup", "0s", "--quiet", "--send-lag-detail");
            assertEquals(0, closed.exitCode(), closed::toString);
            assertFalse(closed.out().contains("late causes"), closed::toString);
        }
    }

    private static long count(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}

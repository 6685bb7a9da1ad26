package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad input gets one clear line and a non-zero exit, never a stack trace. */
class BadInputTest {

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "--rate 0                         | --rate must be between 1",
        "--size 10                        | --size must be between 20 bytes",
        "--duration 5x                    | '5x' is not a duration",
        "--warmup soon                    | 'soon' is not a duration",
        "--rate 100 --pipeline 2          | expected only one match",
        "--rate 100 --max-in-flight 2 --pipeline 2 | expected only one match",
        "--pipeline 2 --max-in-flight 4   | Missing required argument(s): --rate",
        "--max-in-flight 4                | Missing required argument(s): --rate",
        "--rate 100 --max-in-flight -1    | --max-in-flight must be between 0",
        "--connections 0                  | --connections must be between 1",
        "--client-threads 0               | --client-threads must be between 1",
        "--connect-rate 0                 | --connect-rate must be at least 1",
        "--pipeline 0                     | --pipeline must be between 1",
        "--target localhost               | --target must be HOST:PORT",
        "--target 127.0.0.1:http          | --target port must be a number",
        "--target 127.0.0.1:70000         | --target port must be between 1 and 65535",
        "--source-addresses 127.0.0.300   | is not an IPv4 address or range",
        "--source-addresses 127.0.0.9-127.0.0.1 | ends before it starts",
        "--duration 10ms                  | --duration must be at least 100ms",
        "--no-such-option                 | Unknown option",
        "--rate 100 --arrivals sometimes  | --arrivals must be even, poisson or bursts:N",
        "--rate 100 --arrivals bursts:0   | --arrivals bursts:N needs N of at least 1",
        "--rate 100 --arrivals bursts:4 --max-in-flight 2 | would hold to one echo at a time: give --max-in-flight 4",
        "--arrivals poisson               | Missing required argument(s): --rate",
        "--pipeline 1 --rate 5 --arrivals poisson | are mutually exclusive",
        "--rate 100 --spin-before-send 2ms | --spin-before-send must be between 0us and 1000us",
        "--rate 100 --spin-before-send 50 | '50' is not a duration",
        "--spin-before-send 50us          | Missing required argument(s): --rate",
        "--pipeline 1 --spin-before-send 50us | Missing required argument(s): --rate",
    })
    void badOptionsGetOneLineAndTheUsage(String args, String expected) {
        ClientRun run = ClientRun.of(args.trim().split("\\s+"));
        assertEquals(2, run.exitCode(), run::toString);
        String firstLine = run.err().lines().findFirst().orElse("");
        assertTrue(firstLine.contains(expected), () -> "first line names the problem: " + run);
        assertTrue(run.err().contains("Usage: client"), run::toString);
        assertNoStackTrace(run);
    }

    @Test
    void theLoopConflictNamesBothLoops() {
        ClientRun run = ClientRun.of("--rate", "100", "--pipeline", "2");
        assertEquals(2, run.exitCode(), run::toString);
        String firstLine = run.err().lines().findFirst().orElse("");
        assertTrue(firstLine.contains("--pipeline") && firstLine.contains("--rate"), run::toString);
    }

    @Test
    void anUnreachableTargetGetsOneLineAndExitOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClientRun run = ClientRun.of("--target", "127.0.0.1:" + port, "--connections", "3", "--duration", "1s",
                "--warmup", "0s");
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().contains("cannot connect to 127.0.0.1:" + port), run::toString);
        assertTrue(run.err().contains("refused"), run::toString);
        assertNoStackTrace(run);
    }

    @Test
    void anUnknownHostGetsOneLine() {
        ClientRun run = ClientRun.of("--target", "no-such-host.invalid:7007", "--duration", "1s");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot resolve"), run::toString);
        assertNoStackTrace(run);
    }

    @Test
    void moreConnectionsThanFileDescriptorsIsRefusedUpFront() throws Exception {
        var os = ManagementFactory.getOperatingSystemMXBean();
        assumeTrue(os instanceof UnixOperatingSystemMXBean);
        long max = ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
        assumeTrue(max < ClientConfig.MAX_CONNECTIONS, "fd limit too high to exceed with a valid --connections");
        try (TestEchoServer server = TestEchoServer.echo()) {
            long start = System.nanoTime();
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", Long.toString(max),
                    "--source-addresses", "127.0.0.1-127.0.0.255", "--duration", "1s");
            assertEquals(1, run.exitCode(), run::toString);
            assertEquals(1, run.err().lines().count(), run::toString);
            assertTrue(run.err().contains("file descriptors"), run::toString);
            assertTrue(server.acceptNanos.isEmpty(), "refused before connecting anything");
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused up front, not after a ramp");
        }
    }

    @Test
    void limitChecksNameTheProblem() {
        var fds = org.junit.jupiter.api.Assertions.assertThrows(study.echo.common.UserException.class,
                () -> Limits.checkFileDescriptors(20_000, 2, 40, 20_000));
        assertTrue(fds.getMessage().contains("ulimit -n"), fds.getMessage());
        Limits.checkFileDescriptors(10_000, 2, 40, 20_000);
        var ports = org.junit.jupiter.api.Assertions.assertThrows(study.echo.common.UserException.class,
                () -> Limits.checkLocalPorts(30_000, 0, 28_232));
        assertTrue(ports.getMessage().contains("--source-addresses"), ports.getMessage());
        Limits.checkLocalPorts(30_000, 2, 28_232);
    }

    private static void assertNoStackTrace(ClientRun run) {
        assertFalse(run.err().contains("\tat "), () -> "no stack trace: " + run);
        assertFalse(run.err().contains("Exception"), () -> "no exception names: " + run);
    }
}

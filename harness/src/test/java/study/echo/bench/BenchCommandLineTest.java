package study.echo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import study.echo.common.Cli;

/** The command line as a user meets it: exit codes and what lands on stdout and stderr. */
class BenchCommandLineTest {

    record Outcome(int exitCode, String out, String err) {}

    static Outcome bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new Bench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "server selector --port abc",
        "server selector --port 70000",
        "server selector --loops 0",
        "server selector --buffer-size 1",
        "server selector --backlog 0",
        "server selector --no-such-option",
        "server loom --threads green",
        "server loom --host=",
        "server",
        "no-such-command",
    })
    void badOptionsGetOneLineAndTheUsageAndExitTwo(String line) {
        Outcome o = bench(line.split(" "));
        assertEquals(Cli.EXIT_USAGE, o.exitCode(), o.err());
        String[] lines = o.err().split("\n");
        assertTrue(lines[0].startsWith("bench"), "first line names the command: " + lines[0]);
        assertTrue(o.err().contains("Usage: bench"), "usage follows: " + o.err());
        assertNoStackTrace(o.err());
        assertEquals("", o.out());
    }

    @Test
    void aPortInUseGetsOneLineNamingThePortAndExitsOne() throws Exception {
        try (ServerSocketChannel busy = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) busy.getLocalAddress()).getPort();
            for (String variant : new String[] {"selector", "loom"}) {
                Outcome o = bench("server", variant, "--port", Integer.toString(port));
                assertEquals(Cli.EXIT_USER_ERROR, o.exitCode(), o.err());
                assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
                assertTrue(o.err().contains("port " + port + " is already in use"), o.err());
                assertNoStackTrace(o.err());
            }
        }
    }

    @Test
    void helpIsOnEveryCommand() {
        Outcome top = bench("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("server"), top.out());
        for (String line : new String[] {"server --help", "server selector --help", "server loom --help"}) {
            Outcome o = bench(line.split(" "));
            assertEquals(0, o.exitCode(), line);
            assertTrue(o.out().startsWith("Usage: bench"), line + ": " + o.out());
        }
        assertTrue(bench("server", "selector", "--help").out().contains("--loops"));
        assertTrue(bench("server", "loom", "--help").out().contains("--threads"));
    }

    private static void assertNoStackTrace(String err) {
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }
}

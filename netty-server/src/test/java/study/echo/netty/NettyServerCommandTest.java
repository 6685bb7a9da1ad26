package study.echo.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import study.echo.common.Cli;

/** {@code bench server netty} as a user meets it when something is wrong: one line, a documented exit code. */
class NettyServerCommandTest {

    record Outcome(int exitCode, String out, String err) {}

    static Outcome netty(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new NettyServerCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--loops 0", "--loops 1025", "--transport io_uring", "--buffer-size 1", "--port -1"})
    void badOptionsGetOneLineAndTheUsageAndExitTwo(String line) {
        Outcome o = netty(line.split(" "));
        assertEquals(Cli.EXIT_USAGE, o.exitCode(), o.err());
        assertTrue(o.err().contains("Usage: netty"), o.err());
        assertNoStackTrace(o.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aPortInUseGetsOneLineNamingThePortAndExitsOne(String transport) throws Exception {
        try (ServerSocketChannel busy = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) busy.getLocalAddress()).getPort();
            Outcome o = netty("--transport", transport, "--port", Integer.toString(port));
            assertEquals(Cli.EXIT_USER_ERROR, o.exitCode(), o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
            assertTrue(o.err().contains("port " + port + " is already in use"), o.err());
            assertNoStackTrace(o.err());
        }
    }

    @Test
    void helpStatesTheAllocatorTheLoopsAndTheTransports() {
        Outcome o = netty("--help");
        assertEquals(0, o.exitCode());
        String help = o.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("pooled direct allocator"), help);
        assertTrue(help.contains("one per core, " + Runtime.getRuntime().availableProcessors() + " here"), help);
        assertTrue(help.contains("--transport=nio|epoll"), help);
    }

    /**
     * A machine without the native library (another OS or CPU, or a jar left out), simulated by running
     * without the linux-x86_64 jar: one line that says what to do instead, exit 1, no stack trace.
     */
    @Test
    void epollWithoutTheNativeLibraryGetsOneLineAndExitsOne() throws Exception {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("netty-transport-native-epoll"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                NettyMain.class.getName(), "--transport", "epoll", "--port", "0").start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running; it should have refused to start");
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), UTF_8);
        assertEquals(Cli.EXIT_USER_ERROR, process.exitValue(), err);
        assertEquals("", out, "never claims to listen");
        List<String> lines = err.strip().lines().toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).contains("--transport epoll") && lines.get(0).contains("use --transport nio"), err);
        assertNoStackTrace(err);
    }

    private static void assertNoStackTrace(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), "no stack trace: " + err);
    }
}

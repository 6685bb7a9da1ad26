package study.echo.selector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import study.echo.common.Cli;

/** The selector server in a JVM of its own: what a user or a script sees, the exit code included. */
@Timeout(120)
class ServerExitTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (.+):(\\d+)");

    @Test
    void aLoopThatCannotGoOnMakesTheServerExitWithItsCodeAndOneLine() throws Exception {
        Process server = start(BrokenLoopServerMain.class, "--port", "0", "--loops", "2");
        try {
            CompletableFuture<String> stderr = readStderr(server);
            int port = awaitListening(server, new ArrayList<>());
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(30_000);
                assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server exited");
                assertEquals(Cli.EXIT_SERVER_FAILED, server.exitValue(), stderr.get(10, TimeUnit.SECONDS));
                assertClosedByServer(client);
            }
            List<String> lines = stderr.get(10, TimeUnit.SECONDS).lines().toList();
            String last = lines.getLast();
            assertTrue(last.startsWith("selector: event loop event-loop-0 cannot go on (java.lang.IllegalStateException:"
                    + " injected: selector broken); the server stopped accepting"), last);
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void onIpv6LoopbackItPrintsTheCompressedAddress() throws Exception {
        assumeTrue(hasIpv6Loopback(), "this machine has no ::1");
        Process server = start(SelectorMain.class, "--host", "::1", "--port", "0");
        try {
            List<String> lines = new ArrayList<>();
            int port = awaitListening(server, lines);
            assertEquals(List.of("listening on [::1]:" + port), lines);
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue());
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * A wait on the loop is warned of once, however many loops and connections; at SIGTERM the server exits
     * 0 and its last line counts the requests it handled.
     */
    @Test
    void withRequestsItWarnsOfAWaitOnTheLoopOnceAndReportsTheWorkAtShutdown() throws Exception {
        // To a file: a pipe read while the process exits can fail with "Stream closed".
        Path stderrFile = Files.createTempFile("selector-stderr", ".txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SelectorMain.class.getName(),
                "--port", "0", "--loops", "2", "--request-size", "8", "--work", "wait:1ms")
                .redirectError(stderrFile.toFile()).start();
        try {
            int port = awaitListening(server, new ArrayList<>());
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket("127.0.0.1", port)) {
                    client.setSoTimeout(30_000);
                    byte[] twoRequests = "request1request2".getBytes(UTF_8);
                    client.getOutputStream().write(twoRequests);
                    assertEquals(new String(twoRequests, UTF_8), new String(client.getInputStream().readNBytes(16), UTF_8));
                }
            }
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exited");
            String err = Files.readString(stderrFile);
            assertEquals(0, server.exitValue(), err);
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.stream().filter(line -> line.contains("blocks the event loop")).count(), err);
            assertEquals("work wait:1ms: 6 requests handled, checksum 0x0", lines.getLast(), err);
        } finally {
            server.destroyForcibly();
            Files.deleteIfExists(stderrFile);
        }
    }

    /** {@code bench server selector} exactly, in a JVM of its own. */
    public static final class SelectorMain {
        private SelectorMain() {}

        public static void main(String[] args) {
            System.exit(Cli.execute(new SelectorServerCommand(), args));
        }
    }

    private static Process start(Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static int awaitListening(Process server, List<String> lines) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), UTF_8));
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.matches()) {
                        port.complete(Integer.parseInt(m.group(2)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("no 'listening on' line: " + lines));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    private static CompletableFuture<String> readStderr(Process server) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                text.complete(new String(server.getErrorStream().readAllBytes(), UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    private static void assertClosedByServer(Socket socket) throws IOException {
        try {
            assertEquals(-1, socket.getInputStream().read(), "closed by the server");
        } catch (SocketException reset) {
            // A reset is a close too.
        }
    }

    /** Linux lists each IPv6 address of the machine in /proc/net/if_inet6, ::1 as 32 hex digits. */
    private static boolean hasIpv6Loopback() throws IOException {
        Path addresses = Path.of("/proc/net/if_inet6");
        return Files.exists(addresses) && Files.readString(addresses).contains("0".repeat(31) + "1");
    }
}

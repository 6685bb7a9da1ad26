package study.echo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stand-in servers (shell scripts), so that the launcher is tested apart from any real server. */
@Timeout(60)
class ServerProcessTest {
    @TempDir
    Path tmp;

    @Test
    void aServerIsReadyOnceItPrintsWhereItListensAndStopsOnSigterm() throws Exception {
        Path log = tmp.resolve("logs/server.log");
        List<String> command = List.of("sh", "-c", "echo 'listening on [::1]:7007'; echo 'a warning' >&2; exec sleep 30");
        ServerProcess server = ServerProcess.start(new Children(), command, log);
        assertEquals("[::1]:7007", server.target());
        assertEquals(new InetSocketAddress("::1", 7007), server.address());
        assertEquals(7007, server.port());
        assertEquals(List.of("listening on [::1]:7007"), server.stdoutLines());
        assertTrue(server.isAlive());
        assertNull(server.stop(), "dying of the SIGTERM it was sent (143) is a clean stop");
        assertFalse(server.isAlive());
        String text = Files.readString(log);
        assertTrue(text.startsWith(String.join(" ", command) + "\n") && text.contains("a warning"), text);
    }

    /**
     * A server that held many connections gets more time: a thread per connection takes seconds to end
     * on 2 cores after its clients leave. This stand-in takes 8 s to exit after SIGTERM.
     */
    @Test
    void aServerThatHeldManyConnectionsGetsMoreTimeToStop() throws Exception {
        List<String> slowToExit = List.of("sh", "-c",
                "trap 'sleep 8; exit 0' TERM; echo 'listening on 127.0.0.1:7007'; while :; do sleep 1; done");
        ServerProcess server = ServerProcess.start(new Children(), slowToExit, tmp.resolve("slow.log"));
        assertNull(server.stop(18_100), "within 6 s + 0.5 ms for each of 18,100 connections");
        assertFalse(server.isAlive());
    }

    @Test
    void aServerThatDoesNotStopInTimeIsKilledAndSaysHowLongItHad() throws Exception {
        List<String> deaf = List.of("sh", "-c", "trap '' TERM; echo 'listening on 127.0.0.1:7007'; while :; do sleep 1; done");
        ServerProcess server = ServerProcess.start(new Children(), deaf, tmp.resolve("deaf.log"));
        assertEquals("server did not exit within 6 s of SIGTERM and was killed", server.stop());
        assertFalse(server.isAlive());
    }

    @Test
    void aServerThatExitsBeforeListeningFailsWithItsCodeAndLastLine() throws Exception {
        PointFailure e = assertThrows(PointFailure.class, () -> ServerProcess.start(new Children(),
                List.of("sh", "-c", "echo 'bind failed: address in use' >&2; exit 4"), tmp.resolve("server.log")));
        assertEquals("server exited with code 4 before listening: bind failed: address in use", e.getMessage());
    }

    @Test
    void aStoppedRunStartsNothing() {
        Children children = new Children();
        children.destroyAll(Duration.ofSeconds(1));
        assertThrows(Children.StoppedException.class,
                () -> ServerProcess.start(children, List.of("sh", "-c", "echo 'listening on 127.0.0.1:1'"), tmp.resolve("s.log")));
    }
}

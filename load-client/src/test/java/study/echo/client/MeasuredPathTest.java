package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The warm-up leaves the measured path as it will run: a client run in its own JVM under a flight
 * recording, checked by {@link JfrWindowCheck}. No client I/O thread deoptimises anything after the
 * window opens, and the I/O thread allocates nothing per message in the window. The warm-up is
 * generous (4 s at 5,000 msg/s) so that a slow, shared machine has compiled the path by then; what is
 * asserted is a fact of the code (a branch first taken at the opening), not a speed. The server stalls
 * 15 ms every second, so that the rare paths a busy machine takes at random (sends held by the cap,
 * echoes arriving in bursts) are taken in the warm-up too, and a deoptimisation in the window is one
 * that the opening caused. The same holds with {@code --spin-before-send}, whose spin passes are the
 * measured path then. The recording leaves out the file and socket events: a /proc read at the opening
 * that outlasts its threshold on a busy machine would run JFR's own writer on the I/O thread.
 */
class MeasuredPathTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @ParameterizedTest(name = "client options [{0}]")
    @ValueSource(strings = {"", "--spin-before-send 100us"})
    void noClientIoThreadDeoptimisesInTheWindowAndNothingIsAllocatedPerMessage(String options, @TempDir Path dir)
            throws Exception {
        Path jfr = dir.resolve("client.jfr");
        Path json = dir.resolve("client.json");
        try (TestEchoServer server = TestEchoServer.stalling(1000, 15)) {
            List<String> command = new ArrayList<>(List.of(JAVA, "-Xms128m", "-Xmx256m",
                    "-XX:StartFlightRecording:filename=" + jfr + ",settings=profile,jdk.SocketRead#enabled=false,"
                            + "jdk.SocketWrite#enabled=false,jdk.FileRead#enabled=false,jdk.FileWrite#enabled=false",
                    "-cp", System.getProperty("java.class.path"), ClientMain.class.getName(),
                    "--target", server.target(), "--connections", "20", "--rate", "5000", "--warmup", "4s",
                    "--duration", "1s", "--client-threads", "1", "--quiet", "--json", json.toString()));
            if (!options.isEmpty()) {
                command.addAll(Arrays.asList(options.split(" ")));
            }
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("client.out").toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the client run ends");
            assertEquals(0, p.exitValue(), () -> read(dir.resolve("client.out")));
        }
        JfrWindowCheck.Findings f = JfrWindowCheck.read(jfr, Duration.ofMillis(20));
        assertEquals(List.of(), f.clientDeopts(), "deoptimised on a client I/O thread once the window opened");
        long messages = ClientResult.read(json).messages();
        assertTrue(messages > 2_500, () -> "the window measured the run: " + messages);
        assertTrue(f.allocatedBytes() < messages, () -> "allocated by the I/O thread in the window: "
                + f.allocatedBytes() + " B for " + messages + " messages; sampled: " + f.sampledBytesBySite());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}

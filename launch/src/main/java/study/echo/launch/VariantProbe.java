package study.echo.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The live half of the JDK-support check: a variant's server started once with its options, a few
 * bytes echoed over one loopback connection, the server stopped. A JVM option can be accepted at
 * start-up and fail only at the first blocking read ({@code jdk.pollerMode=3} on JDK 25 throws from
 * {@code sun.nio.ch.Poller}'s static initialiser there), so starting alone proves nothing.
 */
public final class VariantProbe {
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for the server's thread to reach its blocking read on a busy machine. */
    private static final Duration PARK_PAUSE = Duration.ofMillis(300);
    private static final byte[] PROBE = "jdk-support-probe".getBytes(StandardCharsets.US_ASCII);

    private VariantProbe() {}

    /**
     * Why {@code variant}'s server does not echo, in one line (its log's most telling line), or empty
     * when it echoes {@link #PROBE} back byte for byte. The server's log goes to {@code log}.
     */
    public static Optional<String> failure(Variant variant, Launch launch, Children children, Path log)
            throws IOException, InterruptedException {
        ServerProcess server;
        try {
            server = ServerProcess.start(children, variant.command(launch), log);
        } catch (PointFailure e) {
            return Optional.of(e.getMessage());
        }
        String echoFault;
        try {
            echoFault = echo(server);
        } finally {
            server.stop();
        }
        if (echoFault == null) return Optional.empty();
        String telling = tellingLine(Files.readAllLines(log, StandardCharsets.UTF_8));
        return Optional.of(echoFault + (telling == null ? "" : ": " + telling));
    }

    /**
     * Null when the probe came back unchanged, else what went wrong. It is sent in two halves with a
     * pause between, each after the server has had time to block in its read: bytes already there when
     * a virtual thread reads are read without parking, and so without the poller an option configures.
     */
    private static String echo(ServerProcess server) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.connect(server.address(), (int) ECHO_TIMEOUT.toMillis());
            s.setSoTimeout((int) ECHO_TIMEOUT.toMillis());
            int half = PROBE.length / 2;
            for (byte[] part : List.of(Arrays.copyOf(PROBE, half), Arrays.copyOfRange(PROBE, half, PROBE.length))) {
                Thread.sleep(PARK_PAUSE);
                s.getOutputStream().write(part);
                String fault = readBack(s.getInputStream(), part);
                if (fault != null) return fault;
            }
            return null;
        } catch (SocketTimeoutException e) {
            return "no echo within " + ECHO_TIMEOUT.toSeconds() + " s";
        } catch (IOException e) {
            return "the probe connection failed (" + e.getMessage() + ")";
        }
    }

    private static String readBack(InputStream in, byte[] sent) throws IOException {
        byte[] got = new byte[sent.length];
        for (int n = 0; n < got.length; ) {
            int r = in.read(got, n, got.length - n);
            if (r < 0) return "the server closed the connection before echoing " + sent.length + " bytes";
            n += r;
        }
        return Arrays.equals(got, sent) ? null : "the server echoed other bytes than it was sent";
    }

    /**
     * The line of a server log that says why: the innermost {@code Caused by:} of a stack trace (the
     * property's own complaint, under ExceptionInInitializerError), else the first line naming an
     * exception or error, else the last line; the log's first line, the command, is skipped.
     */
    static String tellingLine(List<String> logLines) {
        List<String> lines = logLines.stream().skip(1).map(String::strip).filter(l -> !l.isEmpty()).toList();
        String cause = null;
        String first = null;
        for (String l : lines) {
            if (l.startsWith("Caused by: ")) cause = l.substring("Caused by: ".length());
            else if (first == null && !l.startsWith("at ") && (l.contains("Exception") || l.contains("Error"))) first = l;
        }
        String line = cause != null ? cause : first != null ? first : lines.isEmpty() ? null : lines.getLast();
        return line == null || line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}

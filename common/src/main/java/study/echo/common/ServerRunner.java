package study.echo.common;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * Runs a server in the foreground the way a user starts one: bind, print {@code listening on
 * HOST:PORT}, serve until SIGTERM or SIGINT, shut down in stages and exit 0. A server that loses a part
 * it cannot do without while it runs shuts down the same way and fails ({@link ServerFailedException},
 * exit {@link Cli#EXIT_SERVER_FAILED}).
 */
public final class ServerRunner {
    /** How long connections get to close after a signal. The process must be gone within 5 s. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    private ServerRunner() {}

    /** Runs the study's own server: the shared {@link EchoServer} with this variant's dispatcher. */
    public static int run(ServerConfig config, ConnectionDispatcher dispatcher, PrintStream out)
            throws IOException, InterruptedException {
        return run(() -> EchoServer.start(config, dispatcher), out);
    }

    /** Runs a server that binds and accepts by itself (a framework's), with the same output, signals and exits. */
    public static int run(RunningServer.Starter starter, PrintStream out) throws IOException, InterruptedException {
        RunningServer server = starter.start();
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        // A shutdown hook cannot choose the exit status (the JVM exits 143 after SIGTERM), so handle
        // the signals themselves. sun.misc.Signal is in jdk.unsupported, exported and supported for
        // exactly this use (JEP 260).
        Signal.handle(new Signal("TERM"), signal -> stopRequested.complete(null));
        Signal.handle(new Signal("INT"), signal -> stopRequested.complete(null));
        return serve(server, stopRequested, out);
    }

    /**
     * Announces the server, waits until a stop is requested or the server fails, and shuts it down.
     *
     * @return 0 after a requested stop
     * @throws ServerFailedException after the server failed, once its connections are closed
     */
    static int serve(RunningServer server, CompletableFuture<?> stopRequested, PrintStream out) throws InterruptedException {
        out.println("listening on " + hostPort(server.localAddress()));
        out.flush();
        try {
            CompletableFuture.anyOf(stopRequested, server.failure()).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("neither future completes exceptionally", e);
        }
        boolean clean = server.shutdown(SHUTDOWN_GRACE);
        String failure = server.failure().getNow(null);
        if (failure != null) {
            throw new ServerFailedException(failure);
        }
        if (!clean) {
            System.err.println("some connections did not close within " + Durations.format(SHUTDOWN_GRACE));
        }
        return 0;
    }

    /** {@code 127.0.0.1:7007} or {@code [::1]:7007}. */
    public static String hostPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip instanceof Inet6Address v6 ? "[" + ipv6Text(v6) + "]" : ip.getHostAddress();
        return host + ":" + address.getPort();
    }

    /**
     * An IPv6 address in the canonical text of RFC 5952, section 4: lower-case hex without leading zeros,
     * and the longest run of two or more all-zero groups (the first of equal runs) as {@code ::}. The JDK's
     * {@code getHostAddress} writes every group ({@code 0:0:0:0:0:0:0:1}). A zone, when there is one,
     * follows as {@code %zone}.
     */
    static String ipv6Text(Inet6Address ip) {
        byte[] bytes = ip.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never shortened (section 4.2.2)
        for (int i = 0; i < 8; ) {
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = Math.max(end, i + 1);
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        String jdk = ip.getHostAddress();
        int zone = jdk.indexOf('%');
        return zone < 0 ? text.toString() : text + jdk.substring(zone);
    }
}

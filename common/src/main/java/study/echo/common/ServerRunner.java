package study.echo.common;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Runs a server in the foreground the way a user starts one: bind, print {@code listening on
 * HOST:PORT}, serve until SIGTERM or SIGINT, shut down in stages and exit 0.
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

    /** Runs a server that binds and accepts by itself (a framework's), with the same output and signals. */
    public static int run(RunningServer.Starter starter, PrintStream out) throws IOException, InterruptedException {
        RunningServer server = starter.start();
        CountDownLatch stop = new CountDownLatch(1);
        // A shutdown hook cannot choose the exit status (the JVM exits 143 after SIGTERM), so handle
        // the signals themselves. sun.misc.Signal is in jdk.unsupported, exported and supported for
        // exactly this use (JEP 260).
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        out.println("listening on " + hostPort(server.localAddress()));
        out.flush();
        stop.await();
        boolean clean = server.shutdown(SHUTDOWN_GRACE);
        if (!clean) {
            System.err.println("some connections did not close within " + Durations.format(SHUTDOWN_GRACE));
        }
        return 0;
    }

    /** {@code 127.0.0.1:7007} or {@code [::1]:7007}. */
    public static String hostPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return host + ":" + address.getPort();
    }
}

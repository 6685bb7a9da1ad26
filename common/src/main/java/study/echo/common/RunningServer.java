package study.echo.common;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A server that is accepting connections, as {@link ServerRunner} runs it in the foreground. The
 * study's own servers are {@link EchoServer}s; a framework that accepts on its own threads (Netty)
 * implements this directly, so that every variant still prints, stops and exits the same way.
 */
public interface RunningServer {

    /** The bound address; its port is the real one when the config asked for port 0. */
    InetSocketAddress localAddress();

    /**
     * Shuts down in stages: stop accepting, close every connection, wait for the connection threads
     * for at most {@code grace}.
     *
     * @return true when everything finished within the grace period
     */
    boolean shutdown(Duration grace) throws InterruptedException;

    /**
     * Completes with a one-line reason when the server loses a part it cannot serve without while it
     * runs (an event loop that cannot go on); {@link ServerRunner} then shuts it down and fails. A
     * server that cannot fail that way never completes it.
     */
    default CompletableFuture<String> failure() {
        return new CompletableFuture<>();
    }

    /** Starts a server: binds and accepts before it returns, or throws a {@link UserException}. */
    @FunctionalInterface
    interface Starter {
        RunningServer start() throws IOException, InterruptedException;
    }
}

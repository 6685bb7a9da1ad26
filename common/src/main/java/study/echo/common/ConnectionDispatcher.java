package study.echo.common;

import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The one thing that differs between the server variants: which thread runs an accepted connection.
 * Everything around it (binding, accepting, socket options, shutdown) is shared in {@link EchoServer},
 * so that the comparison measures the threading model and nothing else.
 */
public interface ConnectionDispatcher {

    /**
     * Starts the threads this dispatcher needs, if any. Called once, before the first accept.
     *
     * @param failure where to report a thread of this dispatcher that cannot go on (the server then stops
     *                accepting and fails); a fault that costs one connection is not reported there
     */
    default void start(FailureListener failure) {}

    /**
     * Takes ownership of a freshly accepted, blocking, configured channel. Must not block: the accept
     * loop calls it. The dispatcher closes the channel when the connection ends. When this throws, the
     * channel was not taken: the caller closes it and goes on accepting.
     */
    void dispatch(SocketChannel channel);

    /** Shutdown stage 2: closes every connection. No {@link #dispatch} call comes after this. */
    void closeAll();

    /**
     * Shutdown stage 3: waits for the connection threads to finish.
     *
     * @return true when they all finished within {@code grace}
     */
    boolean awaitTermination(Duration grace) throws InterruptedException;
}

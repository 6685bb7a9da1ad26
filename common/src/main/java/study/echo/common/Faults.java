package study.echo.common;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * How every server reports a fault that cost one connection and nothing else: the connection has been
 * closed, and the thread that met the fault goes on serving the others.
 */
public final class Faults {
    private Faults() {}

    /**
     * Logs a connection's fault. Running out of memory is a load condition, not a bug, and a client that
     * causes it causes it on every connection: one line each. Anything else is a bug, with its stack trace.
     */
    public static void connectionClosedAfter(Logger log, Throwable fault) {
        if (fault instanceof OutOfMemoryError) {
            log.log(Level.WARNING, "closed a connection that ran out of memory ({0}); serving the others", fault.getMessage());
        } else {
            log.log(Level.ERROR, "closed a connection after an unexpected fault; serving the others", fault);
        }
    }
}

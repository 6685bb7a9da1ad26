package study.echo.common;

/**
 * A running server lost a part it cannot do without (an event loop, the accept thread). It has stopped
 * accepting and closed its connections; the command line prints the message as one line and exits with
 * {@link Cli#EXIT_SERVER_FAILED}, so that a script never mistakes a half-dead server for a stopped one.
 */
public final class ServerFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerFailedException(String message) {
        super(message, null, false, false);
    }
}

package study.echo.common;

/**
 * A problem the user can fix (bad input, a busy port, a missing tool). The command line prints its
 * message as one line and exits non-zero, without a stack trace.
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message, null, false, false);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

package study.echo.common;

/**
 * An option value that parses but is out of range. Reported like a parse error: one line, the usage,
 * and exit code {@link Cli#EXIT_USAGE}.
 */
public class BadOptionException extends UserException {
    private static final long serialVersionUID = 1L;

    public BadOptionException(String message) {
        super(message);
    }
}

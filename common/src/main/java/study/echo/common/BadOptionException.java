package study.echo.common;

/**
 * An option value that parses but is out of range. Reported like a parse error: one line, the usage,
 * and exit code {@link Cli#EXIT_USAGE}.
 */
public class BadOptionException extends UserException {
    private static final long serialVersionUID = 1L;

    private final boolean showUsage;

    public BadOptionException(String message) {
        this(message, true);
    }

    /**
     * @param showUsage false where the usage would bury the one line that matters: a value that parses but
     *     names something unusable on this machine (a --jdk path that holds no JDK 21)
     */
    public BadOptionException(String message, boolean showUsage) {
        super(message);
        this.showUsage = showUsage;
    }

    public boolean showUsage() {
        return showUsage;
    }
}

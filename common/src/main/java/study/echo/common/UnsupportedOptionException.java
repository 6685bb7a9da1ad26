package study.echo.common;

/**
 * An option that is well formed but that the machine cannot honour (a JVM option the JDK in use does
 * not support): exit code {@link Cli#EXIT_USAGE} as for any bad option, but only the one line, since
 * the usage would not say what is wrong.
 */
public class UnsupportedOptionException extends BadOptionException {
    private static final long serialVersionUID = 1L;

    public UnsupportedOptionException(String message) {
        super(message);
    }
}

package study.echo.client;

/**
 * A run that ended before it had anything to report: stopped by a signal during the ramp or the
 * warm-up, or every connection lost before the measured window. One line and an exit code, no result.
 */
final class RunAborted extends RuntimeException {
    private final int exitCode;

    RunAborted(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

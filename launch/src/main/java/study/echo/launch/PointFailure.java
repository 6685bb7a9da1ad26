package study.echo.launch;

/** A point, or a server start, that failed; its message is the one-line reason (the {@code reason} column). */
public final class PointFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public PointFailure(String reason) {
        super(reason, null, false, false);
    }
}

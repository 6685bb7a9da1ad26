package study.echo.bench.compare;

/** A point that could not be measured; its message becomes the {@code reason} column. */
public final class PointFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public PointFailure(String reason) {
        super(reason, null, false, false);
    }
}

package study.echo.common;

/**
 * Where a part of a server reports that it cannot go on. The server then stops accepting at once, so
 * that no connection is accepted into a part that will never serve it, and fails with
 * {@link ServerFailedException}.
 */
@FunctionalInterface
public interface FailureListener {
    /**
     * @param part  what failed, as a reader would name it, e.g. {@code event loop event-loop-0}
     * @param cause the last fault it met
     */
    void failed(String part, Throwable cause);
}

package study.echo.selector;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import study.echo.common.BadOptionException;

/**
 * Where the selector server runs the request handler ({@code --offload}): on the event loop itself, on a
 * bounded pool of platform threads (the classic reactor plus worker pool, Netty's
 * {@code EventExecutorGroup}), or on one virtual thread per task.
 *
 * @param kind    where the handler runs
 * @param threads the pool's size for {@link Kind#PLATFORM}, 1 to {@value #MAX_THREADS}; 0 otherwise
 */
public record Offload(Kind kind, int threads) {
    /** More pool threads than the study's largest connection count is a typo, not a configuration. */
    public static final int MAX_THREADS = 10_000;
    public static final Offload NONE = new Offload(Kind.NONE, 0);

    public enum Kind { NONE, PLATFORM, VIRTUAL }

    public Offload {
        if (kind == Kind.PLATFORM ? threads < 1 || threads > MAX_THREADS : threads != 0) {
            throw new BadOptionException("--offload platform:N takes N from 1 to " + MAX_THREADS + ", got " + threads);
        }
    }

    /** @param text {@code none}, {@code platform:N} or {@code virtual} */
    public static Offload parse(String text) {
        String value = text.trim();
        if (value.equals("none")) {
            return NONE;
        }
        if (value.equals("virtual")) {
            return new Offload(Kind.VIRTUAL, 0);
        }
        if (value.startsWith("platform:")) {
            try {
                return new Offload(Kind.PLATFORM, Integer.parseInt(value.substring("platform:".length())));
            } catch (NumberFormatException e) {
                // falls through to the line naming the accepted forms
            }
        }
        throw new BadOptionException("--offload '" + text + "' is not an offload; write none, platform:N (N threads, 1 to "
                + MAX_THREADS + ") or virtual");
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /**
     * A new executor of this kind: a fixed pool of daemon platform threads with an unbounded queue (at most
     * one task per connection is ever queued), or a new virtual thread per task.
     *
     * @throws IllegalStateException for {@link Kind#NONE}, which has no executor
     */
    public ExecutorService newExecutor() {
        return switch (kind) {
            case PLATFORM -> Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("offload-", 0).daemon(true).factory());
            case VIRTUAL -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("offload-", 0).factory());
            case NONE -> throw new IllegalStateException("--offload none runs the handler on the loop");
        };
    }

    /** The spelling {@link #parse} reads back. */
    @Override
    public String toString() {
        return kind == Kind.PLATFORM ? "platform:" + threads : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}

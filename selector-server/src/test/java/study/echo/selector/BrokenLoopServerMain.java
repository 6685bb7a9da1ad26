package study.echo.selector;

import java.nio.ByteBuffer;
import study.echo.common.Cli;

/**
 * {@code bench server selector} as a user runs it (same command, same exit path), except that its first
 * loop fails every pass, as a broken selector would. For {@link ServerExitTest}, in a JVM of its own.
 */
public final class BrokenLoopServerMain {
    private BrokenLoopServerMain() {}

    public static void main(String[] args) {
        SelectorServerCommand command = new SelectorServerCommand((loops, bufferSizeBytes, work, offload) ->
                new EventLoopGroup(loops, index -> new EventLoop(bufferSizeBytes, ByteBuffer::allocate, index == 0 ? () -> {
                    throw new IllegalStateException("injected: selector broken");
                } : () -> {})));
        System.exit(Cli.execute(command, args));
    }
}

package study.echo.netty;

import study.echo.common.Cli;

/** {@code bench server netty} without the rest of the harness, for tests that need a process of its own. */
final class NettyMain {
    private NettyMain() {}

    public static void main(String[] args) {
        System.exit(Cli.execute(new NettyServerCommand(), args));
    }
}

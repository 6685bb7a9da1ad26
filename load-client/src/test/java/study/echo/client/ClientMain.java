package study.echo.client;

import study.echo.common.Cli;

/** Runs {@code client} as its own process, for the tests that send it signals. */
final class ClientMain {
    private ClientMain() {}

    public static void main(String[] args) {
        System.exit(Cli.execute(new ClientCommand(), args));
    }
}

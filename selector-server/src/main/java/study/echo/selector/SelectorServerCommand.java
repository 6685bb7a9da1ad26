package study.echo.selector;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import study.echo.common.BadOptionException;
import study.echo.common.Cli;
import study.echo.common.ServerConfig;
import study.echo.common.ServerOptions;
import study.echo.common.ServerRunner;

/** {@code bench server selector}: wires N event loops into the shared server. */
@Command(name = "selector", mixinStandardHelpOptions = true,
        description = "Echo server on a hand-written java.nio Selector loop (one or more loops).")
public final class SelectorServerCommand implements Callable<Integer> {
    /** More loops than this is a typo, not a configuration. */
    static final int MAX_LOOPS = 1024;

    @Mixin
    ServerOptions server;

    @Option(names = "--loops", defaultValue = "1", paramLabel = "N",
            description = "Selector loops, each on its own thread, 1-" + MAX_LOOPS
                    + "; 1 is the classic single event loop (default: ${DEFAULT-VALUE}).")
    int loops;

    /** The main class of this variant in the variant table ({@code study.echo.launch.Variant}); the same command as {@code ./bench server selector}. */
    public static void main(String[] args) {
        Cli.main(new SelectorServerCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = server.toConfig();
        if (loops < 1 || loops > MAX_LOOPS) {
            throw new BadOptionException("--loops must be between 1 and " + MAX_LOOPS + ", got " + loops);
        }
        return ServerRunner.run(config, new EventLoopGroup(loops, config.bufferSizeBytes()), System.out);
    }
}

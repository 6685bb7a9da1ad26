package study.echo.selector;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import study.echo.common.BadOptionException;
import study.echo.common.Cli;
import study.echo.common.ConnectionDispatcher;
import study.echo.common.ServerConfig;
import study.echo.common.ServerOptions;
import study.echo.common.ServerRunner;

/** {@code bench server selector}: wires N event loops into the shared server. */
@Command(name = "selector", mixinStandardHelpOptions = true,
        description = {
            "Echo server on a hand-written java.nio Selector loop (one or more loops).",
            "",
            "Memory: each loop has one direct read buffer of --buffer-size bytes, shared by all its"
                    + " connections. A connection holds nothing of its own between messages; when its client"
                    + " does not read, it holds the bytes the socket would not take, at most --buffer-size"
                    + " bytes on the heap, and reads nothing more until they are sent.",
            "",
            "A fault on one connection (out of memory, say) closes that connection only; a loop that"
                    + " cannot go on fails the server with exit code 4."
        })
public final class SelectorServerCommand implements Callable<Integer> {
    /** More loops than this is a typo, not a configuration. */
    static final int MAX_LOOPS = 1024;

    /** Makes the dispatcher; tests inject faults through it. */
    @FunctionalInterface
    interface Loops {
        ConnectionDispatcher create(int loops, int bufferSizeBytes) throws IOException;
    }

    private final Loops loopFactory;

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

    public SelectorServerCommand() {
        this(EventLoopGroup::new);
    }

    SelectorServerCommand(Loops loopFactory) {
        this.loopFactory = loopFactory;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = server.toConfig();
        if (loops < 1 || loops > MAX_LOOPS) {
            throw new BadOptionException("--loops must be between 1 and " + MAX_LOOPS + ", got " + loops);
        }
        return ServerRunner.run(config, loopFactory.create(loops, config.bufferSizeBytes()), System.out);
    }
}

package study.echo.selector;

import java.io.IOException;
import java.io.PrintStream;
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
import study.echo.common.work.RequestWork;

/** {@code bench server selector}: wires N event loops into the shared server. */
@Command(name = "selector", mixinStandardHelpOptions = true,
        description = {
            "Echo server on a hand-written java.nio Selector loop (one or more loops).",
            "",
            "Memory: each loop has one direct read buffer of --buffer-size bytes, shared by all its"
                    + " connections. A connection holds nothing of its own between messages; when its client"
                    + " does not read, it holds the bytes the socket would not take, at most --buffer-size"
                    + " bytes on the heap, and reads nothing more until they are sent. With --request-size, a"
                    + " connection also holds the first bytes of a request that straddles reads (less than one"
                    + " request), and the requests of one read (at most --buffer-size, or one request if that is"
                    + " larger) while they are handled or wait to be sent; it reads nothing while they are.",
            "",
            "A fault on one connection (out of memory, say) closes that connection only; a loop that"
                    + " cannot go on fails the server with exit code 4.",
            "",
            "With --request-size it prints 'work SPEC: N requests handled, checksum 0x...' on stderr at shutdown."
        })
public final class SelectorServerCommand implements Callable<Integer> {
    /** More loops than this is a typo, not a configuration. */
    static final int MAX_LOOPS = 1024;

    /** Makes the dispatcher; tests inject faults through it. */
    @FunctionalInterface
    interface Loops {
        ConnectionDispatcher create(int loops, int bufferSizeBytes, RequestWork work, Offload offload) throws IOException;
    }

    private final Loops loopFactory;

    @Mixin
    ServerOptions server;

    @Option(names = "--loops", defaultValue = "1", paramLabel = "N",
            description = "Selector loops, each on its own thread, 1-" + MAX_LOOPS
                    + "; 1 is the classic single event loop (default: ${DEFAULT-VALUE}).")
    int loops;

    @Option(names = "--offload", defaultValue = "none", paramLabel = "WHERE",
            description = "Where the --work handler runs: none (default) on the event loop, as a Netty handler's"
                    + " would, so a wait: blocks every connection of the loop (allowed, with a warning: it is the"
                    + " classic mistake); platform:N on a pool of N platform threads (1-" + Offload.MAX_THREADS
                    + "), shared by the loops; virtual on a new virtual thread per task. A task is the complete"
                    + " requests of one read, handled in order; the loop does not read that connection until it"
                    + " has written the task's response, so one task per connection is in flight. Needs --request-size.")
    String offload;

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
        Offload where = Offload.parse(offload);
        RequestWork work = server.toWork(System.err);
        if (!work.framed() && !where.isNone()) {
            throw new BadOptionException("--offload " + where + " needs requests to hand off: give --request-size BYTES");
        }
        warnIfTheLoopWaits(work, where, System.err);
        try {
            return ServerRunner.run(config, loopFactory.create(loops, config.bufferSizeBytes(), work, where), System.out);
        } finally {
            if (work.framed()) {
                System.err.println(work.report());
            }
        }
    }

    /** The classic mistake is allowed, so that it can be measured, but not silently. */
    static void warnIfTheLoopWaits(RequestWork work, Offload where, PrintStream err) {
        if (work.spec().hasWait() && where.isNone()) {
            err.println("warning: --work " + work.spec() + " with --offload none: every wait blocks the event loop"
                    + " and all its connections; --offload platform:N or virtual runs it off the loop");
        }
    }
}

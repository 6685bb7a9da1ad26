package study.echo.netty;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import study.echo.common.BadOptionException;
import study.echo.common.Cli;
import study.echo.common.ServerConfig;
import study.echo.common.ServerOptions;
import study.echo.common.ServerRunner;
import study.echo.common.work.RequestWork;

/** {@code bench server netty}: Netty 4.2 as the peer, on its NIO or its native epoll transport. */
@Command(name = "netty", mixinStandardHelpOptions = true,
        description = {
            "Echo server on Netty 4.2: one acceptor thread, N I/O event loops, Netty's echo handler with"
                    + " writability backpressure and half-close.",
            "Buffers come from a pooled direct allocator (PooledByteBufAllocator, preferDirect);"
                    + " each read is --buffer-size bytes, and a connection whose peer does not read holds at most"
                    + " twice --buffer-size (write-buffer high water mark --buffer-size, low half of it).",
            "With --request-size, each connection's framer handles the complete requests of each read in order,"
                    + " on the event loop, and keeps a request split over reads in a buffer of its own: the bound"
                    + " grows by at most one request (a write of whole requests can pass the high mark by the"
                    + " requests of one read). A --work wait blocks the event loop, and every connection on it,"
                    + " for its duration. At shutdown stderr gets one line: work SPEC: N requests handled,"
                    + " checksum 0xHEX.",
            "Exit codes: 0 stopped by SIGTERM or Ctrl-C; 1 cannot listen, or --transport epoll without the"
                    + " native library; 2 bad options."
        })
public final class NettyServerCommand implements Callable<Integer> {
    /** More loops than this is a typo, not a configuration (as for the selector server's --loops). */
    static final int MAX_LOOPS = 1024;

    @Mixin
    ServerOptions server;

    @Option(names = "--transport", defaultValue = "nio", paramLabel = "nio|epoll",
            description = "nio: the JDK's Selector; epoll: Netty's native edge-triggered epoll (Linux x86_64)"
                    + " (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--loops", paramLabel = "N",
            description = "I/O event loops, each on its own thread, 1-" + MAX_LOOPS + "; connections are dealt"
                    + " round-robin; accepting has a thread of its own (default: one per core, ${DEFAULT-VALUE} here).")
    int loops = Runtime.getRuntime().availableProcessors();

    /** The main class of this variant in the variant table ({@code study.echo.launch.Variant}); the same command as {@code ./bench server netty}. */
    public static void main(String[] args) {
        Cli.main(new NettyServerCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = server.toConfig();
        if (loops < 1 || loops > MAX_LOOPS) {
            throw new BadOptionException("--loops must be between 1 and " + MAX_LOOPS + ", got " + loops);
        }
        // Netty's own log records go to java.util.logging, like the study's, whatever else is on the class path.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        RequestWork work = server.toWork(System.err);
        if (work.spec().hasWait()) {
            System.err.println("warning: --work " + work.spec() + " waits on the event loop: every connection of"
                    + " that loop waits with it (the classic mistake, measured on purpose)");
        }
        int status = ServerRunner.run(() -> NettyEchoServer.start(config, transport, loops, work), System.out);
        if (work.framed()) {
            System.err.println(work.report());
        }
        return status;
    }
}
